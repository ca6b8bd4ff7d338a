import { z } from "zod";
import { AppError } from "../errors.ts";
import { receiveChannelMessage } from "../commands/receiveChannelMessage.ts";
import type { ChannelAdapter } from "./ChannelAdapter.ts";
import { bodyOf, fitMessage, handle, loadChannelInbox, publicRequestUrl, rawBody, refuse } from "./channelInboxes.ts";
import { providerRequest } from "./providerRequest.ts";
import { verifyTwilioSignature } from "./signatures.ts";

const configSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "an Account SID (AC + 32 hex digits)"),
  /** Verifies X-Twilio-Signature and authenticates API calls. */
  authToken: z.string().min(16).max(200),
  /** The inbox's number (E.164) or a Messaging Service SID (MG...). */
  from: z.string().regex(/^(\+[1-9]\d{4,14}|MG[0-9a-fA-F]{32})$/, "an E.164 number or a Messaging Service SID"),
});
export type TwilioConfig = z.infer<typeof configSchema>;

const inboundSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/, "a Twilio message SID"),
  From: z.string().min(3).max(64),
  To: z.string().max(64).optional(),
  Body: z.string().max(20_000).default(""),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
});

// Twilio reads our answer as TwiML; an empty Response sends nothing back by SMS.
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
// Twilio refuses bodies over 1,600 characters.
const MAX_SMS = 1600;

/** SMS in Twilio's format: form-encoded webhooks signed with the auth token; replies through the Messages API. */
export const twilioAdapter: ChannelAdapter<TwilioConfig> = {
  channel: "sms",
  configSchema,
  secretKeys: ["authToken"],

  webhooks(router, ctx) {
    router.post(
      ["/twilio", "/twilio/:inbox"],
      rawBody("256kb"),
      handle(async (req, res) => {
        const { inbox, config } = await loadChannelInbox(ctx, twilioAdapter, req.params.inbox as string | undefined);
        const raw = bodyOf(req);
        const params = new URLSearchParams(raw.toString("utf8"));
        const signature = req.get("x-twilio-signature");
        if (!signature) refuse(ctx, req, "sms", inbox, "Missing X-Twilio-Signature");
        if (!verifyTwilioSignature(publicRequestUrl(ctx, req), params, config.authToken, signature)) {
          refuse(ctx, req, "sms", inbox, "Wrong X-Twilio-Signature");
        }
        const parsed = inboundSchema.safeParse(Object.fromEntries(params));
        if (!parsed.success) throw new AppError("validation_error", `Not a Twilio message: ${parsed.error.issues[0]!.path.join(".")}`);
        const m = parsed.data;
        const media = Array.from({ length: m.NumMedia }, (_, i) => ({
          url: params.get(`MediaUrl${i}`),
          contentType: params.get(`MediaContentType${i}`),
        }));
        const content = m.Body.trim() || (media.length ? `(${media.length} media file(s))` : "");
        if (!content) throw new AppError("validation_error", "The message has no body");
        await receiveChannelMessage(ctx, {
          inbox,
          sourceId: m.From,
          contact: { phone: m.From },
          providerMessageId: m.MessageSid,
          content: fitMessage(ctx, content),
          attributes: { sms: { from: m.From, to: m.To ?? null, media } },
        });
        res.status(200).type("text/xml").send(EMPTY_TWIML);
      }),
    );
  },

  async send(ctx, { config, sourceId, message }) {
    const body = message.content.length > MAX_SMS ? message.content.slice(0, MAX_SMS - 1) + "…" : message.content;
    const form = new URLSearchParams({ To: sourceId, Body: body });
    form.set(config.from.startsWith("MG") ? "MessagingServiceSid" : "From", config.from);
    const base = ctx.config.TWILIO_API_BASE_URL.replace(/\/+$/, "");
    const r = await providerRequest<{ sid?: string }>(
      ctx.outbound,
      "Twilio",
      `${base}/2010-04-01/Accounts/${config.accountSid}/Messages.json`,
      {
        method: "POST",
        headers: {
          authorization: "Basic " + Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64"),
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
        timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
      },
    );
    return { providerId: r.sid ?? null };
  },
};
