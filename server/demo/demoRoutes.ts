import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { identityHash, openIdentitySecret } from "../auth/identity.ts";
import { findContactByExternalId, findInbox } from "../conversations/queries.ts";
import { AppError } from "../errors.ts";
import { DEMO_INBOX } from "./seedDemo.ts";
import { demoPhone } from "./demoPhone.ts";
import { maskDestination } from "../stepup/oneTimeCode.ts";

/**
 * Stands in for the bank's own server on the demo page: signs a demo customer's id
 * with the demo inbox's secret, as a bank's backend would after its own login.
 * Exists only while DEMO_SEED is on, and only for the seeded demo customers.
 */
export function demoRoutes(api: ApiRouter, ctx: AppContext) {
  if (!ctx.config.DEMO_SEED) return;
  api.add({
    method: "get",
    path: "/demo/identity",
    tag: "demo",
    summary: "Demo only: a signed identity for a demo customer (what a bank's backend computes)",
    auth: "none",
    query: z.object({ userId: z.enum(["C-1001", "C-1002"]) }),
    handler: async ({ query }) => {
      const inbox = await findInbox(ctx.db, DEMO_INBOX);
      const contact = await findContactByExternalId(ctx.db, query.userId);
      if (!inbox || !contact) throw new AppError("not_found", "Demo customer not found");
      return {
        userId: query.userId,
        identityHash: identityHash(query.userId, openIdentitySecret(ctx.secrets, inbox.identity_secret)),
        name: contact.name,
        email: contact.email,
      };
    },
  });

  api.add({
    method: "get",
    path: "/demo/phone",
    tag: "demo",
    summary:
      "Demo only: the texts a demo customer's registered phone received in the last 15 minutes (step-up codes), for the demo page's phone",
    auth: "none",
    query: z.object({ userId: z.enum(["C-1001", "C-1002"]) }),
    handler: async ({ query }) => ({
      // As open as /demo/identity above, which already lets anyone act as these two demo customers.
      texts: demoPhone.texts(query.userId).map((t) => ({ to: maskDestination("phone", t.to), text: t.text, at: t.at.toISOString() })),
    }),
  });
}
