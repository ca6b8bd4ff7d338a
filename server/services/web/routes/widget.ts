import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { startWidgetSession } from "../../../commands/startWidgetSession.ts";
import { presentConversation } from "../../../presenters/presentConversation.ts";
import { listConversations } from "../../../conversations/listConversations.ts";

const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()]);

/** The widget's HTTP side: starting a session. Messages go over the /widget socket. */
export function widgetRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "post",
    path: "/widget/sessions",
    tag: "widget",
    summary: "Start or resume a widget session (optionally with a verified identity)",
    auth: "none",
    status: 201,
    body: z.object({
      inbox: z.string().min(1).max(100),
      token: z.string().min(1).max(200).optional(),
      userId: z.string().min(1).max(200).optional(),
      identityHash: z.string().min(1).max(200).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      email: z.string().email().max(200).optional(),
      attributes: z.record(z.string().max(50), attributeValue).optional(),
    }),
    handler: async ({ body, req }) => {
      const s = await startWidgetSession(ctx, { ...body, ip: req.ip, origin: req.get("origin") });
      const { items } = await listConversations(ctx.db, { type: "contact", id: s.contact.id, verified: s.verified }, { limit: 20 });
      return {
        token: s.token,
        verified: s.verified,
        contact: { id: s.contact.id, name: s.contact.name, email: s.contact.email },
        inbox: {
          name: s.inbox.name,
          greeting: s.inbox.settings.greeting ?? null,
          preChatFields: s.inbox.settings.preChatFields ?? [],
          csatEnabled: s.inbox.settings.csatEnabled ?? true,
        },
        conversations: items.map((c) => presentConversation(c, "contact")),
      };
    },
  });
}
