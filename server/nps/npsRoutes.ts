import { recordCustomerExport } from "../reports/recordCustomerExport.ts";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canAdminister, canReadReports } from "../policies/adminPolicy.ts";
import { filter, range } from "../services/web/routes/reports.ts";
import { sendCsv } from "../reports/csv.ts";
import { npsReport, npsRows } from "./npsReport.ts";
import { npsBand } from "./npsScore.ts";

/** The NPS report under /api/v1/reports/nps, and its CSV (one row per answer: admins only, on the access log). */
export function npsRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/reports/nps",
    tag: "reports",
    summary:
      "Net Promoter Score of the answers given in a period: score (%promoters − %detractors), counts, by week, inbox, team and agent, pending surveys, latest reasons",
    auth: "agent",
    query: range,
    handler: async ({ query, actor }) => {
      authorize(canReadReports(actor));
      return npsReport(ctx.db, await filter(ctx.db, query, actor));
    },
  });

  api.add({
    method: "get",
    path: "/reports/nps.csv",
    tag: "reports",
    summary: "One row per NPS answer in a period, with the customer and their reason (admins only; on the access log). Formula-safe.",
    auth: "agent",
    query: range,
    handler: async ({ query, actor, req, res }) => {
      authorize(canAdminister(actor), "Only admins can export NPS answers");
      const f = await filter(ctx.db, query, actor);
      const rows = await npsRows(ctx.db, f);
      // It names customers and carries their words.
      await recordCustomerExport(ctx, actor, req, { kind: "nps", filter: f, segmentId: query.segmentId, rows: rows.length });
      sendCsv(
        res,
        "nps",
        f,
        ["conversation", "answered_at", "inbox", "team", "assignee", "contact", "score", "band", "comment"],
        rows.map((r) => [r.display_id, r.answered_at, r.inbox, r.team, r.assignee, r.contact, r.score, npsBand(r.score), r.comment]),
      );
      return undefined;
    },
  });
}
