import type { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { receiveChannelMessage } from "../commands/receiveChannelMessage.ts";
import { ChannelError, type ChannelAdapter } from "./ChannelAdapter.ts";
import { bodyOf, fitMessage, handle, loadChannelInbox, rawBody, refuse } from "./channelInboxes.ts";
import { providerRequest } from "./providerRequest.ts";
import { verifyWechatSignature } from "./signatures.ts";
import { freshTimestamp, nonceUsed, rememberNonce } from "./replayGuard.ts";

const configSchema = z.object({
  appId: z.string().min(4).max(64),
  appSecret: z.string().min(8).max(200),
  /** The token set in the Official Account's server configuration (signs every push). */
  token: z.string().min(3).max(32),
});
export type WeChatConfig = z.infer<typeof configSchema>;

const querySchema = z.object({
  signature: z.string().max(100).optional(),
  timestamp: z.string().max(20).optional(),
  nonce: z.string().max(100).optional(),
  echostr: z.string().max(500).optional(),
  encrypt_type: z.string().max(20).optional(),
});

const str = z.union([z.string(), z.number()]).transform(String);
const pushSchema = z.object({
  xml: z.object({
    ToUserName: str,
    FromUserName: z.string().min(1).max(128),
    CreateTime: str,
    MsgType: z.string().min(1).max(40),
    Content: str.optional(),
    MsgId: str.optional(),
    Recognition: str.optional(),
    PicUrl: str.optional(),
    Event: str.optional(),
  }),
});

// Values stay strings: MsgId is a 64-bit number that a JS number would round. fast-xml-parser
// (~8 MB of idle RSS, imported alone here) is loaded with the first push, not in every web process.
let parser: Promise<XMLParser> | undefined;
const xmlParser = (): Promise<XMLParser> =>
  (parser ??= import("fast-xml-parser").then(
    ({ XMLParser }) => new XMLParser({ parseTagValue: false, ignoreAttributes: true, ignoreDeclaration: true, trimValues: true }),
  ));

/** WeChat's answer to a push that needs no passive reply (we answer through the customer-service API). */
const SUCCESS = "success";

/**
 * WeChat Official Account message push in plain-text mode (XML, signed with the
 * token over timestamp and nonce); replies through the customer-service message
 * API with a cached access token.
 */
export const wechatAdapter: ChannelAdapter<WeChatConfig> = {
  channel: "wechat",
  configSchema,
  secretKeys: ["appSecret", "token"],

  webhooks(router, ctx) {
    router.get(
      ["/wechat", "/wechat/:inbox"],
      handle(async (req, res) => {
        const { inbox, config } = await loadChannelInbox(ctx, wechatAdapter, req.params.inbox as string | undefined);
        const q = querySchema.safeParse(req.query);
        if (!q.success) throw new AppError("validation_error", "Unexpected query parameters");
        if (!verifyWechatSignature(config.token, q.data)) refuse(ctx, req, "wechat", inbox, "Wrong or missing signature");
        if (!freshTimestamp(q.data.timestamp)) refuse(ctx, req, "wechat", inbox, "Stale or missing timestamp");
        if (!q.data.echostr) throw new AppError("validation_error", "Missing echostr");
        res.status(200).type("text/plain").send(q.data.echostr);
      }),
    );

    router.post(
      ["/wechat", "/wechat/:inbox"],
      rawBody("256kb"),
      handle(async (req, res) => {
        const { inbox, config } = await loadChannelInbox(ctx, wechatAdapter, req.params.inbox as string | undefined);
        const q = querySchema.safeParse(req.query);
        if (!q.success) throw new AppError("validation_error", "Unexpected query parameters");
        if (!verifyWechatSignature(config.token, q.data)) refuse(ctx, req, "wechat", inbox, "Wrong or missing signature");
        if (!freshTimestamp(q.data.timestamp)) refuse(ctx, req, "wechat", inbox, "Stale or missing timestamp");
        const nonce = q.data.nonce ?? "";
        if (await nonceUsed(ctx.db, inbox.id, nonce)) refuse(ctx, req, "wechat", inbox, "Replayed request (nonce already used)");
        if (q.data.encrypt_type && q.data.encrypt_type !== "raw") {
          throw new AppError("validation_error", "Only plain-text mode is supported: set the message encryption mode to 明文模式");
        }
        const xml = bodyOf(req).toString("utf8");
        // No DTDs: entity declarations are how XML bombs and external-entity reads get in.
        if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new AppError("validation_error", "DTDs are not accepted");
        const parse = await xmlParser();
        let push: z.infer<typeof pushSchema>["xml"];
        try {
          const parsed = pushSchema.safeParse(parse.parse(xml, true));
          if (!parsed.success) throw new Error("shape");
          push = parsed.data.xml;
        } catch {
          throw new AppError("validation_error", "The body is not a WeChat message");
        }
        // Events (subscribe, menu clicks...) are not customer messages.
        if (push.MsgType === "event") {
          await rememberNonce(ctx.db, inbox.id, nonce);
          res.status(200).type("text/plain").send(SUCCESS);
          return;
        }
        const content =
          push.MsgType === "text"
            ? (push.Content ?? "")
            : push.MsgType === "voice" && push.Recognition
              ? push.Recognition
              : `(${push.MsgType} message)`;
        if (!content.trim()) throw new AppError("validation_error", "The message has no content");
        await receiveChannelMessage(ctx, {
          inbox,
          sourceId: push.FromUserName,
          providerMessageId: push.MsgId ?? `${push.FromUserName}:${push.CreateTime}`,
          content: fitMessage(ctx, content),
          attributes: { wechat: { type: push.MsgType, picUrl: push.PicUrl ?? null, createTime: push.CreateTime } },
          externalRef: push.FromUserName,
        });
        await rememberNonce(ctx.db, inbox.id, nonce);
        res.status(200).type("text/plain").send(SUCCESS);
      }),
    );
  },

  async send(ctx, { config, sourceId, message }) {
    const base = ctx.config.WECHAT_API_BASE_URL.replace(/\/+$/, "");
    const body = JSON.stringify({ touser: sourceId, msgtype: "text", text: { content: message.content } });
    for (let attempt = 0; ; attempt++) {
      const token = await accessToken(ctx, config);
      const r = await providerRequest<{ errcode?: number; errmsg?: string }>(
        ctx.outbound,
        "WeChat",
        `${base}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`,
        { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS },
      );
      const code = r.errcode ?? 0;
      if (code === 0) return { providerId: null };
      // The token expired or was replaced by another fetch: fetch a new one and try once more.
      if (TOKEN_ERRORS.has(code) && attempt === 0) {
        tokens.delete(tokenKey(base, config));
        continue;
      }
      // The code only: WeChat documents each one, and an answer's text is not ours to show agents.
      throw new ChannelError(`WeChat refused the message: error ${code}`, RETRYABLE.has(code), code);
    }
  },
};

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
// -1: system busy; 45009: API call quota; the token errors if they persist.
const RETRYABLE = new Set([-1, 45009, 40001, 40014, 42001]);

/**
 * Access tokens last two hours and are rate-limited, so each process caches one per
 * app until five minutes before it expires. (Several processes each fetch their own;
 * WeChat keeps the previous token valid for five minutes after a new one is issued,
 * and a stale token is refreshed and retried above.)
 */
const tokens = new Map<string, { token: string; expiresAt: number }>();
const tokenKey = (base: string, c: WeChatConfig) => `${base}\n${c.appId}\n${c.appSecret}`;

async function accessToken(ctx: AppContext, config: WeChatConfig): Promise<string> {
  const base = ctx.config.WECHAT_API_BASE_URL.replace(/\/+$/, "");
  const key = tokenKey(base, config);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.token;
  const url = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(config.appId)}&secret=${encodeURIComponent(config.appSecret)}`;
  const r = await providerRequest<{ access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }>(
    ctx.outbound,
    "WeChat token",
    url,
    {
      method: "GET",
      timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
    },
  );
  if (!r.access_token) {
    // 40013 (bad appid), 40125 (bad secret), 40164 (IP not whitelisted) will not fix themselves.
    throw new ChannelError(`WeChat gave no access token: error ${r.errcode ?? "?"}`, r.errcode === -1, r.errcode);
  }
  const ttl = Math.max(60, (r.expires_in ?? 7200) - 300) * 1000;
  tokens.set(key, { token: r.access_token, expiresAt: Date.now() + ttl });
  return r.access_token;
}
