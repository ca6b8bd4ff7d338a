import { z } from "zod";
import { AppError } from "../errors.ts";
import { receiveChannelMessage } from "../commands/receiveChannelMessage.ts";
import type { ChannelAdapter } from "./ChannelAdapter.ts";
import { bodyOf, fitMessage, handle, loadChannelInbox, loadChannelInboxes, rawBody, refuse } from "./channelInboxes.ts";
import { providerRequest } from "./providerRequest.ts";
import { verifyMetaSignature } from "./signatures.ts";
import { safeEqual } from "../security/safeEqual.ts";
import { jsonDepth, MAX_JSON_DEPTH } from "../security/jsonDepth.ts";
import { applyDeliveryReceipt } from "./deliveryStatus.ts";

const configSchema = z.object({
  /** The WhatsApp Business phone number id (not the number itself). */
  phoneNumberId: z.string().regex(/^\d{5,30}$/, "digits"),
  /** A system-user access token for the Cloud API. */
  accessToken: z.string().min(16).max(1000),
  /** The Meta app secret: verifies X-Hub-Signature-256. */
  appSecret: z.string().min(16).max(200),
  /** Our answer to Meta's subscription handshake (hub.verify_token). */
  verifyToken: z.string().min(8).max(200),
});
export type WhatsAppConfig = z.infer<typeof configSchema>;

const messageSchema = z.object({
  from: z.string().min(3).max(64),
  id: z.string().min(1).max(200),
  timestamp: z.string().optional(),
  type: z.string().max(40),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string() }).optional(),
  interactive: z
    .object({
      button_reply: z.object({ title: z.string() }).optional(),
      list_reply: z.object({ title: z.string() }).optional(),
    })
    .optional(),
});

const payloadSchema = z.object({
  object: z.string(),
  entry: z
    .array(
      z.object({
        changes: z.array(
          z.object({
            field: z.string(),
            value: z.object({
              metadata: z.object({ phone_number_id: z.string() }).optional(),
              contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
              messages: z.array(messageSchema).max(100).optional(),
              statuses: z
                .array(
                  z.object({
                    id: z.string(),
                    status: z.string(),
                    errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
                  }),
                )
                .max(100)
                .optional(),
            }),
          }),
        ),
      }),
    )
    .max(100),
});

function textOf(m: z.infer<typeof messageSchema>): string {
  return m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? `(${m.type} message)`;
}

/**
 * WhatsApp in the Cloud API webhook format: Meta's verify-token handshake on GET,
 * X-Hub-Signature-256 on POST; replies (and delivery receipts) through /{phone-number-id}/messages.
 */
export const whatsappAdapter: ChannelAdapter<WhatsAppConfig> = {
  channel: "whatsapp",
  configSchema,
  secretKeys: ["accessToken", "appSecret", "verifyToken"],

  webhooks(router, ctx) {
    router.get(
      ["/whatsapp", "/whatsapp/:inbox"],
      handle(async (req, res) => {
        const { inbox, config } = await loadChannelInbox(ctx, whatsappAdapter, req.params.inbox as string | undefined);
        const q = req.query as Record<string, unknown>;
        const mode = q["hub.mode"];
        const token = q["hub.verify_token"];
        const challenge = q["hub.challenge"];
        if (mode !== "subscribe" || typeof challenge !== "string" || typeof token !== "string") {
          throw new AppError("validation_error", "Expected hub.mode=subscribe, hub.verify_token and hub.challenge");
        }
        if (!safeEqual(token, config.verifyToken)) {
          ctx.logger.warn({ channel: "whatsapp", inbox: inbox.slug, ip: req.ip }, "webhook verification refused");
          throw new AppError("forbidden", "Wrong verify token");
        }
        res.status(200).type("text/plain").send(challenge.slice(0, 200));
      }),
    );

    router.post(
      ["/whatsapp", "/whatsapp/:inbox"],
      rawBody("256kb"),
      handle(async (req, res) => {
        // One Meta app posts every number's messages to one URL: without an inbox in
        // the path, each change goes to the inbox of its phone_number_id.
        const slug = req.params.inbox as string | undefined;
        const candidates = slug ? [await loadChannelInbox(ctx, whatsappAdapter, slug)] : await loadChannelInboxes(ctx, whatsappAdapter);
        if (candidates.length === 0) throw new AppError("not_found", "No configured whatsapp inbox");
        const raw = bodyOf(req);
        const signature = req.get("x-hub-signature-256");
        if (!signature) refuse(ctx, req, "whatsapp", candidates[0]!.inbox, "Missing X-Hub-Signature-256");
        // Only inboxes whose app secret signed this body may receive from it.
        const signedFor = candidates.filter((c) => verifyMetaSignature(raw, c.config.appSecret, signature));
        if (signedFor.length === 0) refuse(ctx, req, "whatsapp", candidates[0]!.inbox, "Wrong X-Hub-Signature-256");
        let json: unknown;
        try {
          if (jsonDepth(raw) > MAX_JSON_DEPTH) throw new Error("too deep");
          json = JSON.parse(raw.toString("utf8"));
        } catch {
          throw new AppError("validation_error", "The body is not valid JSON");
        }
        const parsed = payloadSchema.safeParse(json);
        if (!parsed.success) throw new AppError("validation_error", `Not a WhatsApp webhook: ${parsed.error.issues[0]!.path.join(".")}`);

        let stored = 0;
        for (const entry of parsed.data.entry) {
          for (const change of entry.changes) {
            if (change.field !== "messages") continue;
            const v = change.value;
            const target = v.metadata ? signedFor.find((c) => c.config.phoneNumberId === v.metadata!.phone_number_id) : signedFor[0];
            if (!target) {
              ctx.logger.warn(
                { channel: "whatsapp", phoneNumberId: v.metadata?.phone_number_id },
                "whatsapp change for a number no inbox serves",
              );
              continue;
            }
            for (const m of v.messages ?? []) {
              const name = v.contacts?.find((c) => c.wa_id === m.from)?.profile?.name ?? null;
              await receiveChannelMessage(ctx, {
                inbox: target.inbox,
                sourceId: m.from,
                contact: { name, phone: `+${m.from.replace(/^\+/, "")}` },
                providerMessageId: m.id,
                content: fitMessage(ctx, textOf(m)),
                attributes: { whatsapp: { type: m.type, timestamp: m.timestamp ?? null } },
              });
              stored++;
            }
            for (const s of v.statuses ?? []) {
              if (s.status === "sent" || s.status === "delivered" || s.status === "read" || s.status === "failed") {
                await applyDeliveryReceipt(ctx, target.inbox.id, s.id, s.status, s.errors?.[0]?.title);
              }
            }
          }
        }
        res.status(200).json({ received: stored });
      }),
    );
  },

  async send(ctx, { config, sourceId, message }) {
    const base = ctx.config.WHATSAPP_API_BASE_URL.replace(/\/+$/, "");
    const r = await providerRequest<{ messages?: Array<{ id?: string }> }>(
      ctx.outbound,
      "WhatsApp",
      `${base}/${config.phoneNumberId}/messages`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${config.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: sourceId,
          type: "text",
          // WhatsApp's limit for a text body is 4,096 characters.
          text: { preview_url: false, body: message.content.slice(0, 4096) },
        }),
        timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
      },
    );
    return { providerId: r.messages?.[0]?.id ?? null };
  },
};
