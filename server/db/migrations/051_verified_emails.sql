-- Automatic contact merge on a verified identity (issue #17 §3). An e-mail address a
-- channel proved belongs to a contact: the bank's page signed it for its signed-in
-- customer (the widget's emailHash), or the bank's mail relay authenticated the
-- sender's domain (DMARC pass in its Authentication-Results). Two contacts holding the
-- same verified address are one customer and are merged (contacts/verifiedEmails.ts).
CREATE TABLE IF NOT EXISTS contact_verified_emails (
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  address text NOT NULL CHECK (address = lower(address) AND position('@' IN address) > 1),
  method text NOT NULL CHECK (method IN ('widget_identity', 'email_authentication')),
  inbox_id uuid REFERENCES inboxes (id) ON DELETE SET NULL,
  first_verified_at timestamptz NOT NULL DEFAULT now(),
  last_verified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contact_id, address, method)
);
CREATE INDEX IF NOT EXISTS contact_verified_emails_address ON contact_verified_emails (address);

-- A merge made by BankDesk itself, not an agent (merged_by is then null): why, e.g.
-- {"reason": "verified_email", "methods": ["widget_identity", "email_authentication"]}.
ALTER TABLE contact_merges ADD COLUMN IF NOT EXISTS automatic jsonb;
