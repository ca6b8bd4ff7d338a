import type { Queryable } from "../db/Database.ts";
import { workingMinutesBetween, type WorkingSchedule } from "./workingTime.ts";

/** A snooze: the conversation's SLA clocks stood still from `started_at` to `ended_at` (null: still snoozed). */
export interface SlaPauseRow {
  started_at: Date;
  ended_at: Date | null;
}

/**
 * Records a status change's effect on the pauses (036_automation_rules.sql): snoozing
 * opens one at the change's time, leaving the snooze closes it. The time is the
 * conversation row's `updated_at` as the change committed it (carried by the refresh
 * job), not when a worker got to it. Idempotent: at most one pause is open at a time,
 * and a pause already closed is not closed again.
 */
export async function recordSlaPause(db: Queryable, conversationId: string, change: { from: string; to: string; at: Date }) {
  if (change.from === "snoozed" && change.to !== "snoozed") {
    await db.query(
      "UPDATE conversation_sla_pauses SET ended_at = GREATEST(started_at, $2) WHERE conversation_id = $1 AND ended_at IS NULL",
      [conversationId, change.at],
    );
  }
  if (change.to === "snoozed") {
    await db.query(
      `INSERT INTO conversation_sla_pauses (conversation_id, started_at) VALUES ($1, $2)
       ON CONFLICT (conversation_id) WHERE ended_at IS NULL DO NOTHING`,
      [conversationId, change.at],
    );
  }
}

export async function slaPauses(db: Queryable, conversationId: string): Promise<SlaPauseRow[]> {
  return (
    await db.query<SlaPauseRow>("SELECT started_at, ended_at FROM conversation_sla_pauses WHERE conversation_id = $1 ORDER BY started_at", [
      conversationId,
    ])
  ).rows;
}

/**
 * The working minutes a target that started at `since` stood still: the part of each
 * pause after `since`, a running pause counted up to `now` (its due time moves on
 * until the conversation is back, and is fixed then).
 */
export function pausedMinutes(pauses: SlaPauseRow[], since: Date, now: Date, schedule: WorkingSchedule): number {
  let total = 0;
  for (const p of pauses) {
    const from = p.started_at > since ? p.started_at : since;
    total += workingMinutesBetween(from, p.ended_at ?? now, schedule);
  }
  return total;
}
