import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";
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
import { activeHoldsForCase, anonymiseCase } from "./anonymiseCase.ts";

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
  /** Closed complaint cases past the organisation's case retention period, anonymised. */
  anonymisedCases: number;
  /** Their timeline entries that lost free text. */
  caseEventsScrubbed: number;
  /** Cases past due but under a legal hold (on their customer or a linked conversation): left alone. */
  casesHeldBack: number;
}

/**
 * The daily retention run: every resolved conversation of an inbox with a retention
 * period, resolved longer ago than that period, is deleted or anonymised as the
 * inbox says, unless a legal hold covers it or its customer. Each conversation is
 * its own transaction, which locks the conversation and its customer and checks again
 * (reopened meanwhile, or a hold placed meanwhile: left alone). Customers left with
 * nothing are then anonymised. The run is audited with its counts.
 *
 * Closed complaint cases follow the organisation's own period for them
 * (`caseRetentionDays`): past it, each is anonymised (anonymiseCase), in its own
 * transaction with the same re-check, unless a hold covers its customer or one of its
 * conversations. Their customers may then be left with nothing, and are anonymised too.
 */
export async function runRetention(ctx: AppContext, now = new Date()): Promise<RetentionReport> {
  const store = attachmentStore(ctx.config);
  let counts = emptyCounts();
  const report = {
    anonymisedConversations: 0,
    deletedConversations: 0,
    contactsAnonymised: 0,
    heldBack: 0,
    filesDeleted: 0,
    anonymisedCases: 0,
    caseEventsScrubbed: 0,
    casesHeldBack: 0,
  };
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
  const cases = await retainCases(ctx, now);
  report.anonymisedCases = cases.anonymised;
  report.caseEventsScrubbed = cases.eventsScrubbed;
  report.casesHeldBack = cases.heldBack;
  for (const contactId of cases.contacts) contacts.add(contactId);
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

/** Anonymises the closed complaint cases past the organisation's case retention period (see runRetention). */
async function retainCases(ctx: AppContext, now: Date) {
  const result = { anonymised: 0, eventsScrubbed: 0, heldBack: 0, contacts: new Set<string>() };
  const settings = await ctx.db.query<{ days: number | null }>("SELECT case_retention_days AS days FROM organisation_settings");
  const days = settings.rows[0]?.days ?? null;
  if (days === null) return result;
  const seen = new Set<string>();
  for (;;) {
    const { rows: due } = await ctx.db.query<{ id: string; contact_id: string; held: boolean }>(
      `SELECT k.id, k.contact_id,
              EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND (h.contact_id = k.contact_id
                        OR h.conversation_id IN (SELECT conversation_id FROM case_conversations WHERE case_id = k.id))) AS held
         FROM cases k
        WHERE k.status = 'closed' AND k.anonymised_at IS NULL AND k.closed_at < $1::timestamptz - make_interval(days => $2::int)
          AND NOT (k.id = ANY($3::uuid[]))
        ORDER BY k.closed_at LIMIT ${BATCH}`,
      [now, days, [...seen]],
    );
    if (due.length === 0) break;
    for (const k of due) {
      seen.add(k.id);
      if (k.held) {
        result.heldBack++;
        continue;
      }
      const done = await ctx.db.transaction(async (tx) => {
        // The linked conversations first, as the conversation step locks a conversation before its
        // customer: a hold on one of them (its foreign key takes a share lock) waits for us, or we for it.
        await tx.query(
          `SELECT 1 FROM conversations WHERE id IN (SELECT conversation_id FROM case_conversations WHERE case_id = $1)
            ORDER BY id FOR UPDATE`,
          [k.id],
        );
        // The case and its customer: reopened meanwhile, or a hold placed on the customer, is seen here.
        const locked = await tx.query<{ due: boolean }>(
          `SELECT k.status = 'closed' AND k.anonymised_at IS NULL
                  AND k.closed_at < $2::timestamptz - make_interval(days => $3::int) AS due
             FROM cases k JOIN contacts ct ON ct.id = k.contact_id WHERE k.id = $1 FOR UPDATE`,
          [k.id, now, days],
        );
        if (!locked.rows[0]?.due) return null;
        if ((await activeHoldsForCase(tx, k.id, k.contact_id)) > 0) return "held" as const;
        return anonymiseCase(tx, k.id);
      });
      if (done === "held") result.heldBack++;
      if (!done || done === "held") continue;
      result.anonymised++;
      result.eventsScrubbed += done.eventsScrubbed;
      result.contacts.add(k.contact_id);
    }
  }
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
