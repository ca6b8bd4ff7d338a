/**
 * SQL: whether the conversation `c`, joined with its contact as `ct` and its inbox as
 * `i`, is had with the verified bank customer the contact is.
 *
 * Only the widget verifies who a customer is (a signed identity, per session), and a
 * widget session of a verified contact is always a verified one. A merge (contacts/)
 * breaks the link between the contact and how the conversation came in: an e-mail
 * address or an anonymous visitor's conversation moved onto a verified customer
 * proves nothing. So the assistant acts for the bank customer, and the console calls
 * the customer signed in, only on the widget and only in conversations no merge moved.
 */
export const SIGNED_IN_CONVERSATION_SQL = `(ct.verified AND i.channel = 'web' AND NOT EXISTS (
  SELECT 1 FROM contact_merges m WHERE m.undone_at IS NULL AND m.moved->'conversations' ? c.id::text))`;
