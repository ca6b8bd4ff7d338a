import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import type { CaseRow } from "./types.ts";
import { NEAR_BREACH_SHARE, timeUsed } from "./jurisdictions.ts";
import { recordCaseEvent } from "./recordCaseEvent.ts";

export const CLOCK_JOB = "cases.check_clocks";
/** How often workers look at the clocks: a minute is well inside any regulatory day. */
export const CLOCK_INTERVAL_MS = 60_000;

type Clock = "acknowledge" | "final_response";
type Level = "near_breach" | "breach";

/**
 * Finds the running clocks that have used 80 % of their time or passed their deadline
 * and records each alert once (case_alerts' key: case, clock, level, deadline), on the
 * case's timeline, and as a `case.clock_alert` event that reaches the owner's and the
 * supervisors' consoles and the outgoing webhooks. Idempotent: several workers, or a
 * job retried after a crash, record and announce an alert once (the insert decides).
 * Returns the alerts it recorded.
 */
export async function checkCaseClocks(
  ctx: AppContext,
  now = new Date(),
): Promise<Array<{ reference: string; clock: Clock; level: Level }>> {
  // The share is computed in SQL only to narrow the rows; the decision is made below with the same formula the console shows.
  const { rows } = await ctx.db.query<CaseRow>(
    `SELECT * FROM cases
     WHERE status <> 'closed' AND final_response_at IS NULL
       AND (received_at + (due_at - received_at) * $2 <= $1
            OR (acknowledge_due_at IS NOT NULL AND acknowledged_at IS NULL
                AND received_at + (acknowledge_due_at - received_at) * $2 <= $1))
     ORDER BY due_at LIMIT 500`,
    [now, NEAR_BREACH_SHARE],
  );
  const recorded: Array<{ reference: string; clock: Clock; level: Level }> = [];
  for (const c of rows) {
    const clocks: Array<[Clock, Date | null]> = [
      ["acknowledge", c.acknowledged_at ? null : c.acknowledge_due_at],
      ["final_response", c.due_at],
    ];
    for (const [clock, due] of clocks) {
      if (!due) continue;
      const used = timeUsed(c.received_at, due, now);
      if (used < NEAR_BREACH_SHARE) continue;
      const level: Level = used >= 1 ? "breach" : "near_breach";
      const inserted = await ctx.db.transaction(async (tx) => {
        const r = await tx.query("INSERT INTO case_alerts (case_id, clock, level, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [
          c.id,
          clock,
          level,
          due,
        ]);
        if (r.rowCount === 0) return false;
        await recordCaseEvent(tx, {
          actor: SYSTEM,
          caseRow: c,
          kind: "clock_alert",
          data: { clock, level, dueAt: due.toISOString(), used: Math.round(used * 100) / 100 },
        });
        return true;
      });
      if (!inserted) continue;
      recorded.push({ reference: c.reference, clock, level });
      ctx.bus.emit("case.clock_alert", { case: c, clock, level, dueAt: due });
    }
  }
  if (recorded.length) ctx.logger.warn({ alerts: recorded }, "complaint clocks near or past their deadline");
  return recorded;
}
