-- The name customers see for an agent (the widget's label on their replies, "Li joined
-- the conversation"). NULL means the default, the first word of the agent's name
-- (server/agents/customerFacingName.ts); the agent sets it in their profile, or an admin.
ALTER TABLE agents ADD COLUMN display_name text
  CHECK (display_name IS NULL OR char_length(display_name) BETWEEN 1 AND 40);

-- The name the customer was shown on an agent's message, kept as it was when sent: a
-- later change of display name does not rewrite the transcript the customer has.
ALTER TABLE messages ADD COLUMN sender_name text;
