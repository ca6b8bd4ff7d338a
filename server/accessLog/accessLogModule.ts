import { z } from "zod";
import type { Module } from "../Module.ts";
import { authorize, canReadAuditLog } from "../policies/adminPolicy.ts";
import { ACCESS_SUBJECTS } from "./recordAccess.ts";
import { searchAccessLog } from "./searchAccessLog.ts";
import { verifyAccessLog } from "./verifyAccessLog.ts";
import type { AccessLogPage } from "../../shared/wire/index.ts";

/** Who read what (issue #13): admins search the access log and check its chain. */
export const accessLogModule: Module = {
  name: "accessLog",
  routes(api, ctx) {
    api.add({
      method: "get",
      path: "/admin/access-log",
      tag: "admin",
      summary:
        "Who read what, newest first: filter by agent, customer (contact), conversation, kind and date range (`from` inclusive, `to` exclusive); page with `before`",
      auth: "agent",
      query: z.object({
        agentId: z.string().uuid().optional(),
        contactId: z.string().uuid().optional(),
        conversationId: z.string().uuid().optional(),
        subjectType: z.enum(ACCESS_SUBJECTS).optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        before: z
          .string()
          .regex(/^\d{1,18}$/, "A cursor from nextCursor")
          .optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      handler: async ({ actor, query }): Promise<AccessLogPage> => {
        authorize(canReadAuditLog(actor), "The access log is for admins");
        return searchAccessLog(ctx.db, query);
      },
    });

    api.add({
      method: "get",
      path: "/admin/access-log/verify",
      tag: "admin",
      summary: "Recompute the access log's hash chain; reports the first broken link (an edited, removed or cut-off row)",
      auth: "agent",
      handler: async ({ actor }) => {
        authorize(canReadAuditLog(actor), "The access log is for admins");
        return verifyAccessLog(ctx.db);
      },
    });
  },
};
