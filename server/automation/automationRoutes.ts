import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AUTOMATION_EVENTS } from "../../shared/wire/index.ts";
import { automationRuleCreateSchema, automationRuleUpdateSchema } from "./automationRuleInput.ts";
import { createAutomationRule, deleteAutomationRule, updateAutomationRule } from "./commands/saveAutomationRule.ts";
import { listAutomationRules, listAutomationRuns } from "./automationQueries.ts";
import { presentAutomationRule, presentAutomationRun } from "./presentAutomationRule.ts";

/**
 * Automation rules under /api/v1/admin/automation-rules (admins; writes audited) and
 * their recent runs: which rule changed which conversation, and what failed.
 */
export function automationRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/admin/automation-rules",
    tag: "admin",
    summary: "Automation rules (event, all-of conditions, actions), active ones first",
    auth: "agent",
    handler: async ({ actor }) => {
      authorize(canAdminister(actor));
      return { items: (await listAutomationRules(ctx.db)).map(presentAutomationRule), events: AUTOMATION_EVENTS };
    },
  });

  api.add({
    method: "post",
    path: "/admin/automation-rules",
    tag: "admin",
    summary: "Add an automation rule: on an event, when every condition holds, perform the actions in order (admins)",
    auth: "agent",
    status: 201,
    body: automationRuleCreateSchema,
    handler: async ({ body, actor, req }) => presentAutomationRule(await createAutomationRule(ctx, { actor, rule: body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/admin/automation-rules/{id}",
    tag: "admin",
    summary: "Change an automation rule, or pause it (`active: false`) (admins)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    body: automationRuleUpdateSchema,
    handler: async ({ params, body, actor, req }) =>
      presentAutomationRule(await updateAutomationRule(ctx, { actor, id: params.id, change: body, ip: req.ip })),
  });

  api.add({
    method: "delete",
    path: "/admin/automation-rules/{id}",
    tag: "admin",
    summary: "Delete an automation rule (its runs stay, with its name) (admins)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    handler: async ({ params, actor, req }) => {
      await deleteAutomationRule(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "get",
    path: "/admin/automation-runs",
    tag: "admin",
    summary: "Recent rule runs, newest first: which rule did what to which conversation (admins)",
    auth: "agent",
    query: z
      .object({
        ruleId: z.string().uuid().optional(),
        conversationId: z.string().uuid().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
    handler: async ({ query, actor }) => {
      authorize(canAdminister(actor));
      return { items: (await listAutomationRuns(ctx.db, query)).map(presentAutomationRun) };
    },
  });
}
