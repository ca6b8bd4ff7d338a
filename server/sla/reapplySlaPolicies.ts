import type { AppContext } from "../context.ts";
import { refreshConversationSla } from "./refreshConversationSla.ts";

export const REAPPLY_JOB = "sla.reapply";

/**
 * After a policy is added or changed, the conversations with people are measured
 * against the policies as they now are (a new catch-all applies to those already
 * waiting; a shorter target moves their due times). Resolved ones keep the policy
 * they were measured against. Returns how many were refreshed.
 */
export async function reapplySlaPolicies(ctx: AppContext): Promise<number> {
  let n = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { rows } = await ctx.db.query<{ id: string }>(
      "SELECT id FROM conversations WHERE status IN ('open', 'snoozed') AND id > $1 ORDER BY id LIMIT 200",
      [after],
    );
    for (const r of rows) {
      await refreshConversationSla(ctx, r.id);
      n++;
    }
    if (rows.length < 200) return n;
    after = rows[rows.length - 1]!.id;
  }
}
