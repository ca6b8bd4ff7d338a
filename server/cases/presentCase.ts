import { z } from "zod";
import type { Case, CaseClockState, CaseDetails, CaseEvent, CaseTaxonomyEntry } from "../../shared/wire/index.ts";
import type { CaseEventRow, CaseRow, TaxonomyRow } from "./types.ts";
import { finalResponseDate, NEAR_BREACH_SHARE, timeUsed } from "./jurisdictions.ts";

/** A clock's state at `now`: met (in time or late) once its step is done, else by the share of time used. */
export function clockState(receivedAt: Date, due: Date, doneAt: Date | null, now: Date): CaseClockState {
  if (doneAt) return doneAt.getTime() <= due.getTime() ? "met" : "met_late";
  const used = timeUsed(receivedAt, due, now);
  return used >= 1 ? "breached" : used >= NEAR_BREACH_SHARE ? "near_breach" : "running";
}

/** The fields of a dispute's details staff may see (openDisputeCase.ts stores them). */
const disputedTransactionSchema = z.object({
  kind: z.literal("disputed_transaction"),
  transactionId: z.string(),
  amount: z.number(),
  currency: z.string(),
  merchant: z.string(),
  date: z.string(),
  account: z.string().nullable().default(null),
});

/**
 * A case's details as staff see them: only the fields of a known kind, picked one by
 * one (a key stored by mistake, say a card number, never reaches the console or a
 * webhook); anything else is no details.
 */
export function presentCaseDetails(details: Record<string, unknown> | null | undefined): CaseDetails {
  const dispute = disputedTransactionSchema.safeParse(details ?? {});
  return dispute.success ? dispute.data : {};
}

/**
 * A case as staff see it (console, REST, webhooks): with its clocks worked out. Every
 * timestamp is already its ISO string (not Presented<Case>): the webhook body and the
 * contact profile read the fields as the wire has them.
 */
export function presentCase(c: CaseRow, now = new Date()): Case {
  const tz = c.policy.timezone;
  const dueDate = finalResponseDate(c);
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    severity: c.severity,
    summary: c.summary,
    language: c.language,
    source: c.source,
    contactId: c.contact_id,
    inboxId: c.inbox_id,
    teamId: c.team_id,
    ownerId: c.owner_id,
    categoryId: c.category_id,
    productId: c.product_id,
    escalatedTo: c.escalated_to,
    jurisdiction: c.jurisdiction,
    rule: c.policy.rule,
    timezone: tz,
    receivedAt: c.received_at.toISOString(),
    extensions: c.extensions,
    extensionsLeft: Math.max(0, c.policy.extensions.length - c.extensions),
    clocks: {
      acknowledge: c.acknowledge_due_at
        ? {
            dueAt: c.acknowledge_due_at.toISOString(),
            doneAt: c.acknowledged_at?.toISOString() ?? null,
            state: clockState(c.received_at, c.acknowledge_due_at, c.acknowledged_at ?? c.final_response_at, now),
          }
        : null,
      finalResponse: {
        dueAt: c.due_at.toISOString(),
        dueDate,
        limit: c.extensions === 0 ? c.policy.finalResponse : c.policy.extensions[c.extensions - 1],
        doneAt: c.final_response_at?.toISOString() ?? null,
        used: Math.round(Math.min(timeUsed(c.received_at, c.due_at, c.final_response_at ?? now), 9.99) * 100) / 100,
        state: clockState(c.received_at, c.due_at, c.final_response_at, now),
      },
    },
    rootCause: c.root_cause,
    remedy: c.remedy,
    details: presentCaseDetails(c.details),
    closedAt: c.closed_at?.toISOString() ?? null,
    anonymisedAt: c.anonymised_at ? new Date(c.anonymised_at).toISOString() : null,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

export function presentCaseEvent(e: CaseEventRow & { actor_name?: string | null }): CaseEvent {
  return {
    id: Number(e.id),
    kind: e.kind,
    actor: { type: e.actor_type, id: e.actor_id, name: e.actor_name ?? null },
    data: e.data,
    createdAt: e.created_at.toISOString(),
  };
}

export function presentTaxonomy(t: TaxonomyRow): CaseTaxonomyEntry {
  return { id: t.id, kind: t.kind, code: t.code, nameEn: t.name_en, nameZh: t.name_zh, active: t.active, position: t.position };
}
