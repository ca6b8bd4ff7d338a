-- The bank's own tools (issue #16, section 2): HTTP calls an admin defines in the console
-- or the API, which the assistant runs like its built-in account tools. A tool is a name;
-- what it does is its versions: every edit adds one, and the assistant uses the latest
-- version when that version is enabled. Old versions stay, so the audit log's
-- "version 3 was called" can be read back.
CREATE TABLE custom_tools (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9_]{2,47}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE custom_tool_versions (
  tool_id uuid NOT NULL REFERENCES custom_tools (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  -- The definition as validated (customTools/definition.ts): parameters, call, template, triggers.
  definition jsonb NOT NULL,
  -- The bearer token or header value, sealed with SECRET_KEY (security/secretBox.ts,
  -- purpose "custom_tools.secret"); carried over from the previous version unless replaced.
  auth_secret text,
  enabled boolean NOT NULL,
  created_by uuid REFERENCES agents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tool_id, version)
);
