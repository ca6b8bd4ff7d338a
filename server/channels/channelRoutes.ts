import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { configureChannel } from "./commands/configureChannel.ts";
import { rotateInboxApiKey } from "./commands/rotateInboxApiKey.ts";
import { presentChannelInbox } from "./presentChannelInbox.ts";
import { adapterFor } from "./adapters.ts";
import { listChannelInboxes, usableChannelConfig, type ChannelInboxRow } from "./channelInboxes.ts";
import { apiChannelRoutes } from "./api.ts";

/** Admin endpoints for channel credentials, and the API channel's own endpoints. */
export function channelRoutes(api: ApiRouter, ctx: AppContext) {
  const present = (row: ChannelInboxRow) => {
    const adapter = adapterFor(row.channel)!;
    return presentChannelInbox(row, adapter, usableChannelConfig(ctx, adapter, row) !== undefined, ctx.config.PUBLIC_URL);
  };

  api.add({
    method: "get",
    path: "/channels/inboxes",
    tag: "channels",
    summary: "Channel inboxes (e-mail, SMS, WhatsApp, WeChat, API) with their settings, secrets masked (admins)",
    auth: "agent",
    handler: async ({ actor }) => {
      authorize(canAdminister(actor));
      return { items: (await listChannelInboxes(ctx)).map(present) };
    },
  });

  api.add({
    method: "put",
    path: "/channels/inboxes/{inbox}/config",
    tag: "channels",
    summary: "Set a channel inbox's provider settings; secret fields left out keep their value (admins, audited)",
    auth: "agent",
    params: z.object({ inbox: z.string().min(1).max(100) }),
    body: z.record(z.string().max(50), z.unknown()),
    handler: async ({ params, body, actor, req }) =>
      present(await configureChannel(ctx, { actor, inbox: params.inbox, config: body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/channels/inboxes/{inbox}/api-key",
    tag: "channels",
    summary: "Issue a new API key for an API-channel inbox; shown once, the previous key stops working (admins, audited)",
    auth: "agent",
    status: 201,
    params: z.object({ inbox: z.string().min(1).max(100) }),
    handler: async ({ params, actor, req }) => rotateInboxApiKey(ctx, { actor, inbox: params.inbox, ip: req.ip }),
  });

  apiChannelRoutes(api, ctx);
}
