import { recordCustomerExport } from "../../../reports/recordCustomerExport.ts";
import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { Actor } from "../../../actor.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { authorize, canAdminister, canReadReports } from "../../../policies/adminPolicy.ts";
import { reportVisibility } from "../../../policies/conversationPolicy.ts";
import { conversationRows, dailyRows, reportSummary } from "../../../reports/reportSummary.ts";
import type { ReportFilter } from "../../../reports/reportScope.ts";
import { sendCsv } from "../../../reports/csv.ts";
import { AppError } from "../../../errors.ts";
import { segmentCriteria } from "../../../segments/segments.ts";
import type { Queryable } from "../../../db/Database.ts";

/**
 * The range and filters of every report request and its CSV (the SLA, complaints and
 * NPS reports too: server/sla, server/cases, server/nps): a period, a team, an inbox,
 * and a customer segment (only its customers' conversations and cases).
 */
export const range = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  teamId: z.string().uuid().optional(),
  inboxId: z.string().uuid().optional(),
  segmentId: z.string().uuid().optional(),
});

const MAX_RANGE_DAYS = 366;

/**
 * The range of a request (default the last 30 days; at most a year), its filters, the
 * segment's criteria (a segment that does not exist is a 404, not every customer), and
 * what the reader may see: an agent's reports cover the conversations they can read.
 */
export async function filter(db: Queryable, query: z.infer<typeof range>, actor: Actor): Promise<ReportFilter> {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw new AppError("validation_error", "`from` must be before `to`");
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError("validation_error", `A report covers at most ${MAX_RANGE_DAYS} days`);
  }
  return {
    from,
    to,
    teamId: query.teamId,
    inboxId: query.inboxId,
    segment: query.segmentId ? await segmentCriteria(db, query.segmentId) : undefined,
    visibleTo: reportVisibility(actor, query.teamId),
  };
}

/** A share to three decimals for the CSV; empty when there is nothing to divide. */
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);

/** Service metrics over a date range: volume, containment, handoffs, response times, CSAT, answer verdicts; and their CSV export. */
export function reportRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/reports/summary",
    tag: "reports",
    summary: "Key figures for a date range (default: the last 30 days), with the same per day; `segmentId`: that segment's customers only",
    auth: "agent",
    query: range,
    handler: async ({ query, actor }) => {
      authorize(canReadReports(actor));
      return reportSummary(ctx.db, await filter(ctx.db, query, actor));
    },
  });

  api.add({
    method: "get",
    path: "/reports/export.csv",
    tag: "reports",
    summary:
      "CSV export: `daily` figures (admins and agents) or one row per `conversations` (admins only: it names contacts). Formula-safe.",
    auth: "agent",
    query: range.extend({ kind: z.enum(["daily", "conversations"]).default("daily") }),
    handler: async ({ query, actor, req, res }) => {
      authorize(canReadReports(actor));
      const f = await filter(ctx.db, query, actor);
      if (query.kind === "conversations") {
        authorize(canAdminister(actor), "Only admins can export conversations");
        const rows = await conversationRows(ctx.db, f);
        // It names customers.
        await recordCustomerExport(ctx, actor, req, { kind: query.kind, filter: f, segmentId: query.segmentId, rows: rows.length });
        sendCsv(
          res,
          query.kind,
          f,
          [
            "conversation",
            "created_at",
            "status",
            "inbox",
            "team",
            "assignee",
            "contact",
            "handoff_reason",
            "first_response_seconds",
            "resolution_seconds",
            "csat",
            "sentiment",
            "labels",
            "answers_helpful",
            "answers_not_helpful",
          ],
          rows.map((r) => [
            r.display_id,
            r.created_at,
            r.status,
            r.inbox,
            r.team,
            r.assignee,
            r.contact,
            r.handoff_reason,
            r.first_response_seconds,
            r.resolution_seconds,
            r.csat,
            r.sentiment,
            r.labels,
            r.answers_helpful,
            r.answers_not_helpful,
          ]),
        );
      } else {
        const rows = await dailyRows(ctx.db, f);
        sendCsv(
          res,
          query.kind,
          f,
          [
            "day",
            "conversations",
            "handed_off",
            "bot_resolved",
            "containment_rate",
            "first_response_median_seconds",
            "resolution_median_seconds",
            "csat_average",
            "answers_helpful",
            "answers_not_helpful",
            "helpful_rate",
          ],
          rows.map((r) => [
            r.day,
            r.n,
            r.handed_off,
            r.bot_resolved,
            rate(r.bot_resolved, r.n),
            r.frt_median,
            r.res_median,
            r.csat_average,
            r.answers_helpful,
            r.answers_not_helpful,
            rate(r.answers_helpful, r.answers_helpful + r.answers_not_helpful),
          ]),
        );
      }
      return undefined;
    },
  });
}
