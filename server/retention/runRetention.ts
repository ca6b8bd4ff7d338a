import type { AppContext } from "../context.ts";
import { SYSTEM } from "../context.ts";
import { writeAudit } from "../commands/writeAudit.ts";
import { attachmentStore } from "../attachments/AttachmentStore.ts";
import {
  activeHoldsFor,
  addCounts,
  anonymiseContactIfEmpty,
  emptyCounts,
  purgeConversation,
  type PurgeCounts,
  type RetentionAction,
} from "./purgeConversation.ts";

export const RETENTION_JOB = "retention.run";
/** Once a day; each worker queues it under the day's job id, so it runs once a day in all. */
export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
const BATCH = 200;

export interface RetentionReport extends PurgeCounts {
  anonymisedConversations: number;
  deletedConversations: number;
  contactsAnonymised: number;
  /** Past due but under a legal hold (on the conversation or its customer): left alone. */
  heldBack: number;
  filesDeleted: number;
}

/**
 * The daily retention run: every resolved conversation of an inbox with a retention
 * period, resolved longer ago than that period, is deleted or anonymised as the
 * inbox says, unless a legal hold covers it or its customer. Each conversation is
 * its own transaction, which locks the conversation and its customer and checks again
 * (reopened meanwhile, or a hold placed meanwhile: left alone). Customers left with
 * nothing are then anonymised. The run is audited with its counts.
 */
export async function runRetention(ctx: AppContext, now = new Date()): Promise<RetentionReport> {
  const store = attachmentStore(ctx.config);
  let counts = emptyCounts();
  const report = { anonymisedConversations: 0, deletedConversations: 0, contactsAnonymised: 0, heldBack: 0, filesDeleted: 0 };
  const contacts = new Set<string>();
  const seen = new Set<string>();
  for (;;) {
    const { rows: due } = await ctx.db.query<{ id: string; contact_id: string; action: RetentionAction; held: boolean }>(
      `SELECT c.id, c.contact_id, i.retention_action AS action,
              EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND (h.conversation_id = c.id OR h.contact_id = c.contact_id)) AS held
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
        WHERE i.retention_days IS NOT NULL AND c.status = 'resolved' AND c.anonymised_at IS NULL
          AND c.resolved_at < $1::timestamptz - make_interval(days => i.retention_days)
          AND NOT (c.id = ANY($2::uuid[]))
        ORDER BY c.resolved_at LIMIT ${BATCH}`,
      [now, [...seen]],
    );
    if (due.length === 0) break;
    for (const c of due) {
      seen.add(c.id);
      if (c.held) {
        report.heldBack++;
        continue;
      }
      const done = await ctx.db.transaction(async (tx) => {
        // Locks the customer too: a hold on them (its foreign key takes a share lock) waits for us, or we for it.
        const locked = await tx.query<{ status: string; resolved_at: Date | null; anonymised_at: Date | null }>(
          `SELECT c.status, c.resolved_at, c.anonymised_at FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
            WHERE c.id = $1 FOR UPDATE`,
          [c.id],
        );
        const row = locked.rows[0];
        if (!row || row.status !== "resolved" || row.anonymised_at) return null;
        if ((await activeHoldsFor(tx, c.id, c.contact_id)) > 0) return "held" as const;
        return purgeConversation(tx, c.id, c.action);
      });
      if (done === "held") report.heldBack++;
      if (!done || done === "held") continue;
      counts = addCounts(counts, done.counts);
      if (c.action === "delete") report.deletedConversations++;
      else report.anonymisedConversations++;
      report.filesDeleted += await deleteFiles(ctx, store, done.storageKeys);
      contacts.add(c.contact_id);
    }
  }
  for (const contactId of contacts) {
    const r = await ctx.db.transaction(async (tx) => {
      await tx.query("SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE", [contactId]);
      return anonymiseContactIfEmpty(tx, contactId);
    });
    if (r.anonymised) report.contactsAnonymised++;
    report.filesDeleted += await deleteFiles(ctx, store, r.storageKeys);
  }
  const result: RetentionReport = { ...counts, ...report };
  await writeAudit(ctx.db, { actor: SYSTEM, action: "retention.run", data: { ...result } });
  ctx.logger.info({ ...result }, "retention run finished");
  return result;
}

/** Deletes stored attachment files after their rows are gone; a failure is logged (the file is unreferenced from now on). */
export async function deleteFiles(ctx: AppContext, store: ReturnType<typeof attachmentStore>, keys: string[]): Promise<number> {
  let deleted = 0;
  for (const key of keys) {
    try {
      await store.delete(key);
      deleted++;
    } catch (err) {
      ctx.logger.error({ err }, "could not delete an attachment file after its row was removed");
    }
  }
  return deleted;
}
