import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canReadReports } from "../policies/adminPolicy.ts";
import { filter, range } from "../services/web/routes/reports.ts";
import { sendCsv } from "../reports/csv.ts";
import { slaPolicyCreateSchema, slaPolicyUpdateSchema } from "./slaPolicyInput.ts";
import { createSlaPolicy, updateSlaPolicy } from "./commands/saveSlaPolicy.ts";
import { presentSlaPolicy } from "./presentSlaPolicy.ts";
import { attainmentRate, slaAttainment, type SlaAttainmentRow } from "./slaAttainment.ts";
import type { SlaPolicyRow } from "./types.ts";
import type { SlaAttainment } from "../../shared/wire/index.ts";

function presentAttainment(r: SlaAttainmentRow): SlaAttainment {
  const target = (met: number, missed: number) => ({ met, missed, rate: attainmentRate(met, missed) });
  return {
    policyId: r.policy_id,
    policy: r.policy,
    active: r.active,
    conversations: r.conversations,
    firstResponse: target(r.first_response_met, r.first_response_missed),
    nextResponse: { ...target(r.next_response_met, r.next_response_missed), waitsMet: r.waits_met, waitsMissed: r.waits_missed },
    resolution: target(r.resolution_met, r.resolution_missed),
  };
}

/** SLA policies under /api/v1/sla-policies (admins change them), and their attainment under /api/v1/reports/sla. */
export function slaRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/sla-policies",
    tag: "sla",
    summary: "SLA policies in order of precedence (the first whose conditions all match applies); retired ones too",
    auth: "agent",
    handler: async ({ actor }) => {
      authorize(canReadReports(actor));
      const { rows } = await ctx.db.query<SlaPolicyRow>("SELECT * FROM sla_policies ORDER BY active DESC, position, created_at, id");
      return { items: rows.map(presentSlaPolicy) };
    },
  });

  api.add({
    method: "post",
    path: "/sla-policies",
    tag: "sla",
    summary: "Add an SLA policy: targets in minutes, business hours or 24/7, conditions by inbox, team, priority, label (admins)",
    auth: "agent",
    status: 201,
    body: slaPolicyCreateSchema,
    handler: async ({ body, actor, req }) => presentSlaPolicy(await createSlaPolicy(ctx, { actor, policy: body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/sla-policies/{id}",
    tag: "sla",
    summary: "Change an SLA policy, reorder it, or retire it (`active: false`; policies are never deleted) (admins)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    body: slaPolicyUpdateSchema,
    handler: async ({ params, body, actor, req }) =>
      presentSlaPolicy(await updateSlaPolicy(ctx, { actor, id: params.id, change: body, ip: req.ip })),
  });

  api.add({
    method: "get",
    path: "/reports/sla",
    tag: "reports",
    summary: "SLA attainment per policy: conversations meeting their first-response, next-response and resolution targets",
    auth: "agent",
    query: range,
    handler: async ({ query, actor }) => {
      authorize(canReadReports(actor));
      return { items: (await slaAttainment(ctx.db, await filter(ctx.db, query, actor))).map(presentAttainment) };
    },
  });

  api.add({
    method: "get",
    path: "/reports/sla.csv",
    tag: "reports",
    summary: "SLA attainment per policy as CSV (formula-safe)",
    auth: "agent",
    query: range,
    handler: async ({ query, actor, res }) => {
      authorize(canReadReports(actor));
      const f = await filter(ctx.db, query, actor);
      const rows = await slaAttainment(ctx.db, f);
      sendCsv(
        res,
        "sla",
        f,
        [
          "policy",
          "active",
          "conversations",
          "first_response_met",
          "first_response_missed",
          "first_response_rate",
          "next_response_met",
          "next_response_missed",
          "next_response_rate",
          "waits_met",
          "waits_missed",
          "resolution_met",
          "resolution_missed",
          "resolution_rate",
        ],
        rows.map((r) => [
          r.policy,
          r.active,
          r.conversations,
          r.first_response_met,
          r.first_response_missed,
          attainmentRate(r.first_response_met, r.first_response_missed),
          r.next_response_met,
          r.next_response_missed,
          attainmentRate(r.next_response_met, r.next_response_missed),
          r.waits_met,
          r.waits_missed,
          r.resolution_met,
          r.resolution_missed,
          attainmentRate(r.resolution_met, r.resolution_missed),
        ]),
      );
      return undefined;
    },
  });
}
