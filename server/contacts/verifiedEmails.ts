import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import { AppError } from "../errors.ts";
import { mergeContacts } from "./commands/mergeContacts.ts";

/**
 * How a contact proved an e-mail address (contact_verified_emails, migration 051):
 * `widget_identity`, the bank's page signed the address for its signed-in customer
 * (auth/identity.ts emailIdentityHash); `email_authentication`, the bank's mail relay authenticated the
 * sender's domain (channels/emailAuthentication.ts). A name, an address typed into a
 * pre-chat form or a From header alone proves nothing and is never recorded here.
 */
export type EmailVerification = "widget_identity" | "email_authentication";

export interface AutomaticMergeDone {
  mergeId: string;
  survivorId: string;
  mergedId: string;
}

/**
 * Records that a contact proved an e-mail address, then makes one customer of every
 * contact holding that address verified: each is merged (mergeContacts: audited,
 * undoable like a merge by hand) into the verified bank customer among them, or, with
 * none, into the oldest. Nothing is merged when two different bank customers hold the
 * address (logged: the bank's records disagree), nor a pair whose earlier merge an
 * agent undid (they said these are two people). Returns the merges made.
 */
export async function emailAddressVerified(
  ctx: AppContext,
  props: { contactId: string; address: string; method: EmailVerification; inboxId: string },
): Promise<AutomaticMergeDone[]> {
  const address = props.address.trim().toLowerCase();
  await ctx.db.query(
    `INSERT INTO contact_verified_emails (contact_id, address, method, inbox_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (contact_id, address, method) DO UPDATE SET last_verified_at = now(), inbox_id = EXCLUDED.inbox_id`,
    [props.contactId, address, props.method, props.inboxId],
  );
  const { rows } = await ctx.db.query<ContactRow & { methods: EmailVerification[] }>(
    `SELECT c.*, array_agg(DISTINCT v.method ORDER BY v.method) AS methods
     FROM contact_verified_emails v JOIN contacts c ON c.id = v.contact_id
     WHERE v.address = $1 AND c.merged_into IS NULL
     GROUP BY c.id ORDER BY c.created_at, c.id`,
    [address],
  );
  if (rows.length < 2) return [];
  const bankCustomers = new Set(rows.filter((c) => c.external_id).map((c) => c.external_id));
  if (bankCustomers.size > 1) {
    ctx.logger.warn({ contactIds: rows.map((c) => c.id) }, "Not merged: one verified e-mail address is held by different bank customers");
    return [];
  }
  const survivor = rows.find((c) => c.external_id) ?? rows[0]!;
  const done: AutomaticMergeDone[] = [];
  for (const other of rows) {
    if (other.id === survivor.id) continue;
    const undone = await ctx.db.query(
      `SELECT 1 FROM contact_merges WHERE undone_at IS NOT NULL
         AND ((survivor_id = $1 AND merged_id = $2) OR (survivor_id = $2 AND merged_id = $1)) LIMIT 1`,
      [survivor.id, other.id],
    );
    if (undone.rowCount) continue;
    try {
      const methods = [...new Set([...survivor.methods, ...other.methods])].sort();
      const { mergeId } = await mergeContacts(ctx, {
        actor: { type: "system" },
        mergedId: other.id,
        survivorId: survivor.id,
        automatic: { reason: "verified_email", methods },
      });
      done.push({ mergeId, survivorId: survivor.id, mergedId: other.id });
      ctx.logger.info({ mergeId, survivorId: survivor.id, mergedId: other.id, methods }, "Contacts merged on a verified e-mail address");
    } catch (err) {
      // Merged meanwhile (another node, an agent): nothing to do; it is one customer already.
      if (!(err instanceof AppError && err.code === "conflict")) throw err;
    }
  }
  return done;
}
