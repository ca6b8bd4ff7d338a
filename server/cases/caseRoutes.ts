import { recordCustomerExport } from "../reports/recordCustomerExport.ts";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { forbidden } from "../errors.ts";
import { authorizeCase } from "./casePolicy.ts";
import {
  CASE_VIEWS,
  findCase,
  findCaseNames,
  listCaseEvents,
  listCasesForAgent,
  listLinkedConversations,
  listTaxonomy,
} from "./caseQueries.ts";
import { presentCase, presentCaseEvent, presentTaxonomy } from "./presentCase.ts";
import { openCase } from "./commands/openCase.ts";
import { changeCaseStatus } from "./commands/changeCaseStatus.ts";
import { assignCaseOwner } from "./commands/assignCaseOwner.ts";
import { updateCase } from "./commands/updateCase.ts";
import { extendCaseDeadline } from "./commands/extendCaseDeadline.ts";
import { sendCaseLetter } from "./commands/sendCaseLetter.ts";
import { linkCaseConversation } from "./commands/linkCaseConversation.ts";
import { createTaxonomyEntry, updateTaxonomyEntry } from "./commands/editTaxonomy.ts";
import { LETTER_KINDS } from "./caseText.ts";
import { accessFrom, recordView } from "../accessLog/recordAccess.ts";
import { authorize, canAdminister, canReadReports } from "../policies/adminPolicy.ts";
import { filter, range } from "../services/web/routes/reports.ts";
import { sendCsv } from "../reports/csv.ts";
import { AppError } from "../errors.ts";
import { CASE_CSV_HEADER, caseCsvRow, listReportCases, MAX_REPORT_CASES, summarizeCases } from "./caseReport.ts";
import { CASE_SEVERITIES, CASE_STATUSES, ESCALATION_BODIES } from "../../shared/wire/index.ts";
import type { Case, CaseDetail, CaseLetterSent, CaseListItem, CaseTaxonomyEntry } from "../../shared/wire/index.ts";

const idParams = z.object({ id: z.string().min(1).max(64) });
const uuidOrNull = z.string().uuid().nullable();
const remedy = z
  .object({
    refundAmount: z.number().min(0).max(100_000_000).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "An ISO 4217 code such as CNY")
      .optional(),
    apology: z.boolean().optional(),
    processChange: z.string().trim().max(1000).optional(),
  })
  .strict();

/** Complaint cases under /api/v1/cases, their taxonomy under /api/v1/case-taxonomy, their report under /api/v1/reports/cases. */
export function caseRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/cases",
    tag: "cases",
    summary: "Complaint cases the agent may see, by view (mine, team, due soon, breached), soonest deadline first",
    auth: "agent",
    query: z.object({
      view: z.enum(CASE_VIEWS).default("all"),
      status: z.enum(CASE_STATUSES).optional(),
      contactId: z.string().uuid().optional(),
      conversationId: z.string().uuid().optional(),
      limit: z.coerce.number().int().min(1).max(200).default(100),
    }),
    handler: async ({ query, actor }): Promise<{ items: CaseListItem[] }> => {
      if (actor.type !== "agent" || actor.role === "content") throw forbidden();
      const rows = await listCasesForAgent(ctx.db, { id: actor.id, teamIds: actor.teamIds, admin: actor.role === "admin" }, query);
      return { items: rows.map((r) => ({ ...presentCase(r), ownerName: r.owner_name, contactName: r.contact_name })) };
    },
  });

  api.add({
    method: "post",
    path: "/cases",
    tag: "cases",
    summary: "Open a complaint case from a conversation (the customer is its contact); the clocks of the inbox's jurisdiction start",
    auth: "agent",
    status: 201,
    body: z.object({
      conversationId: z.string().uuid(),
      summary: z.string().trim().min(1).max(2000),
      categoryId: uuidOrNull.optional(),
      productId: uuidOrNull.optional(),
      severity: z.enum(CASE_SEVERITIES).optional(),
      language: z.enum(["en", "zh"]).optional(),
    }),
    handler: async ({ body, actor, req }): Promise<Case> => {
      const { case: c } = await openCase(ctx, { actor, ...body, source: "agent", ip: req.ip });
      return presentCase(c);
    },
  });

  api.add({
    method: "get",
    path: "/cases/{id}",
    tag: "cases",
    summary: "A case by id or reference, with its timeline and linked conversations",
    auth: "agent",
    params: idParams,
    handler: async ({ params, actor, req }): Promise<CaseDetail> => {
      const c = authorizeCase(actor, await findCase(ctx.db, params.id));
      await recordView(ctx.db, ctx.logger, { ...accessFrom(actor, req), subjectType: "case", subjectId: c.id, contactId: c.contact_id });
      const [events, conversations, n] = await Promise.all([
        listCaseEvents(ctx.db, c.id),
        listLinkedConversations(ctx.db, c.id),
        findCaseNames(ctx.db, c),
      ]);
      return {
        ...presentCase(c),
        ownerName: n?.owner_name ?? null,
        contact: { id: c.contact_id, name: n?.contact_name ?? null, email: n?.contact_email ?? null },
        // Agents the policy will not accept as owner (they handled the complained-about conversations).
        handlerIds: c.handler_ids,
        timeline: events.map(presentCaseEvent),
        conversations: conversations.map((r) => ({
          id: r.id,
          displayId: r.display_id,
          status: r.status,
          inbox: r.inbox_name,
          channel: r.channel,
          linkedAt: r.linked_at.toISOString(),
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  });

  api.add({
    method: "patch",
    path: "/cases/{id}",
    tag: "cases",
    summary: "Classify a case (category, product, severity, summary) or record its outcome (root cause, remedy)",
    auth: "agent",
    params: idParams,
    body: z
      .object({
        summary: z.string().trim().min(1).max(2000).optional(),
        severity: z.enum(CASE_SEVERITIES).optional(),
        categoryId: uuidOrNull.optional(),
        productId: uuidOrNull.optional(),
        rootCause: z.string().trim().max(2000).nullable().optional(),
        remedy: remedy.optional(),
      })
      .strict(),
    handler: async ({ params, body, actor, req }) =>
      presentCase(await updateCase(ctx, { actor, id: params.id, changes: body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/cases/{id}/owner",
    tag: "cases",
    summary: "Make a complaint specialist the owner (never an agent who handled the complained-about conversation)",
    auth: "agent",
    params: idParams,
    body: z.object({ ownerId: uuidOrNull }),
    handler: async ({ params, body, actor, req }) =>
      presentCase(await assignCaseOwner(ctx, { actor, id: params.id, ownerId: body.ownerId, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/cases/{id}/status",
    tag: "cases",
    summary: "Move a case along received → acknowledged → investigating → closed; reopen; escalate (ombudsman, regulator)",
    auth: "agent",
    params: idParams,
    body: z.object({
      status: z.enum(CASE_STATUSES),
      note: z.string().trim().max(2000).optional(),
      escalatedTo: z.enum(ESCALATION_BODIES).optional(),
    }),
    handler: async ({ params, body, actor, req }) =>
      presentCase(await changeCaseStatus(ctx, { actor, id: params.id, ...body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/cases/{id}/extensions",
    tag: "cases",
    summary: "Extend the final-response deadline to the rule's next limit; the acting supervisor (admin) is the recorded approver",
    auth: "agent",
    params: idParams,
    body: z.object({ reason: z.string().trim().min(5).max(1000), requestedById: z.string().uuid().nullable().optional() }),
    handler: async ({ params, body, actor, req }) =>
      presentCase(await extendCaseDeadline(ctx, { actor, id: params.id, ...body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/cases/{id}/letters",
    tag: "cases",
    summary: "Send the acknowledgement or final-response letter (template in the customer's language) through their conversation",
    auth: "agent",
    params: idParams,
    body: z.object({ kind: z.enum(LETTER_KINDS), decision: z.string().trim().max(4000).optional() }),
    handler: async ({ params, body, actor, req }): Promise<CaseLetterSent> => {
      const r = await sendCaseLetter(ctx, { actor, id: params.id, ...body, ip: req.ip });
      return { case: presentCase(r.case), letter: r.letter, messageId: r.messageId };
    },
  });

  api.add({
    method: "post",
    path: "/cases/{id}/conversations",
    tag: "cases",
    summary: "Link another conversation of the same customer to the case",
    auth: "agent",
    params: idParams,
    body: z.object({ conversationId: z.string().uuid() }),
    handler: async ({ params, body, actor, req }) =>
      presentCase(await linkCaseConversation(ctx, { actor, id: params.id, conversationId: body.conversationId, ip: req.ip })),
  });

  api.add({
    method: "get",
    path: "/case-taxonomy",
    tag: "cases",
    summary: "Complaint categories and products (retired ones with ?all=true)",
    auth: "agent",
    query: z.object({ all: z.enum(["true", "false"]).default("false") }),
    handler: async ({ query, actor }): Promise<{ items: CaseTaxonomyEntry[] }> => {
      if (actor.type !== "agent" || actor.role === "content") throw forbidden();
      return { items: (await listTaxonomy(ctx.db, { includeRetired: query.all === "true" })).map(presentTaxonomy) };
    },
  });

  api.add({
    method: "post",
    path: "/case-taxonomy",
    tag: "cases",
    summary: "Add a complaint category or product (admins)",
    auth: "agent",
    status: 201,
    body: z.object({
      kind: z.enum(["category", "product"]),
      code: z.string().regex(/^[a-z0-9_]{1,40}$/, "Lower-case letters, digits and _"),
      nameEn: z.string().trim().min(1).max(80),
      nameZh: z.string().trim().min(1).max(80),
      position: z.number().int().min(0).max(10_000).optional(),
    }),
    handler: async ({ body, actor, req }) => presentTaxonomy(await createTaxonomyEntry(ctx, { actor, entry: body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/case-taxonomy/{id}",
    tag: "cases",
    summary: "Rename, reorder, retire or restore a category or product (admins)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    body: z
      .object({
        nameEn: z.string().trim().min(1).max(80).optional(),
        nameZh: z.string().trim().min(1).max(80).optional(),
        position: z.number().int().min(0).max(10_000).optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    handler: async ({ params, body, actor, req }) =>
      presentTaxonomy(await updateTaxonomyEntry(ctx, { actor, id: params.id, ...body, ip: req.ip })),
  });

  api.add({
    method: "get",
    path: "/reports/cases",
    tag: "reports",
    summary:
      "Complaints received in a date range: volume by category and product, time to acknowledge and to final response, breaches, root causes, repeat complainants, remedies",
    auth: "agent",
    query: range,
    handler: async ({ query, actor }) => {
      authorize(canReadReports(actor));
      const f = await filter(ctx.db, query, actor);
      return summarizeCases(await reportCases(f), f);
    },
  });

  api.add({
    method: "get",
    path: "/reports/cases.csv",
    tag: "reports",
    summary: "One row per complaint case received in the range (admins only: it names customers). Formula-safe.",
    auth: "agent",
    query: range,
    handler: async ({ query, actor, req, res }) => {
      authorize(canAdminister(actor), "Only admins can export complaint cases");
      const f = await filter(ctx.db, query, actor);
      const rows = await reportCases(f);
      // It names customers.
      await recordCustomerExport(ctx, actor, req, { kind: "cases", filter: f, segmentId: query.segmentId, rows: rows.length });
      const now = new Date();
      sendCsv(
        res,
        "cases",
        f,
        CASE_CSV_HEADER,
        rows.map((r) => caseCsvRow(r, now)),
      );
      return undefined;
    },
  });

  /** The cases of a report's range; a range holding more than the report reads is refused, not cut short. */
  async function reportCases(f: Parameters<typeof listReportCases>[1]) {
    const rows = await listReportCases(ctx.db, f);
    if (rows.length > MAX_REPORT_CASES)
      throw new AppError("validation_error", `More than ${MAX_REPORT_CASES} cases in this range: choose a shorter one`);
    return rows;
  }
}
