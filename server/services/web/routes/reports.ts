import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { authorize, canReadReports } from "../../../policies/adminPolicy.ts";

const range = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  teamId: z.string().uuid().optional(),
  inboxId: z.string().uuid().optional(),
});

/** Service metrics over a date range: volume, containment, handoffs, response times, CSAT. */
export function reportRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/reports/summary",
    tag: "reports",
    summary: "Key figures for a date range (default: the last 30 days)",
    auth: "agent",
    query: range,
    handler: async ({ query, actor }) => {
      authorize(canReadReports(actor));
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      const params: unknown[] = [from, to, query.teamId ?? null, query.inboxId ?? null];
      const scope =
        "c.created_at >= $1 AND c.created_at < $2 AND ($3::uuid IS NULL OR c.team_id = $3) AND ($4::uuid IS NULL OR c.inbox_id = $4)";
      const [totals, reasons, times, csat, daily] = await Promise.all([
        ctx.db.query<{ conversations: number; handed_off: number; bot_resolved: number }>(
          `SELECT count(*)::int AS conversations, count(c.handed_off_at)::int AS handed_off,
                  count(*) FILTER (WHERE c.handed_off_at IS NULL)::int AS bot_resolved
           FROM conversations c WHERE ${scope}`,
          params,
        ),
        ctx.db.query<{ reason: string; n: number }>(
          `SELECT c.handoff_reason AS reason, count(*)::int AS n FROM conversations c WHERE ${scope} AND c.handoff_reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`,
          params,
        ),
        ctx.db.query<{ frt_median: number | null; frt_p90: number | null; res_median: number | null; res_p90: number | null }>(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_reply_at - c.handed_off_at)) AS frt_p90,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.created_at)) AS res_p90
           FROM conversations c WHERE ${scope}`,
          params,
        ),
        ctx.db.query<{ rating: number; n: number }>(
          `SELECT r.rating, count(*)::int AS n FROM csat_responses r JOIN conversations c ON c.id = r.conversation_id WHERE ${scope} GROUP BY 1`,
          params,
        ),
        ctx.db.query<{ day: string; n: number; handed_off: number }>(
          `SELECT to_char(date_trunc('day', c.created_at), 'YYYY-MM-DD') AS day, count(*)::int AS n, count(c.handed_off_at)::int AS handed_off
           FROM conversations c WHERE ${scope} GROUP BY 1 ORDER BY 1`,
          params,
        ),
      ]);
      const t = totals.rows[0]!;
      const distribution = Object.fromEntries([1, 2, 3, 4, 5].map((r) => [r, csat.rows.find((x) => x.rating === r)?.n ?? 0]));
      const rated = csat.rows.reduce((n, r) => n + r.n, 0);
      const tm = times.rows[0]!;
      const num = (v: number | null) => (v === null ? null : Math.round(Number(v)));
      return {
        from,
        to,
        conversations: t.conversations,
        containmentRate: t.conversations ? t.bot_resolved / t.conversations : null,
        handoffRate: t.conversations ? t.handed_off / t.conversations : null,
        handoffsByReason: Object.fromEntries(reasons.rows.map((r) => [r.reason, r.n])),
        firstResponse: { median: num(tm.frt_median), p90: num(tm.frt_p90) },
        resolution: { median: num(tm.res_median), p90: num(tm.res_p90) },
        csat: { average: rated ? csat.rows.reduce((s, r) => s + r.rating * r.n, 0) / rated : null, responses: rated, distribution },
        daily: daily.rows,
      };
    },
  });
}
