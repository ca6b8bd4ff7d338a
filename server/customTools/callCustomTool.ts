import type { Response } from "undici";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { BlockedDestinationError } from "../security/destinations.ts";
import type { Language } from "../assistant/language.ts";
import { compileParameters, CUSTOMER_ID_PLACEHOLDER, fillUrl, hostAllowed, urlPlaceholders } from "./definition.ts";
import { renderReply, TemplateFieldMissing } from "./renderReply.ts";
import { openToolSecret, type StoredCustomTool } from "./customToolStore.ts";

/** Largest response body read from a tool's API: a reply template needs a few fields, not a file. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** Why a call gave no reply; none of them is the customer's fault, and none is guessed around. */
export type CallFailure =
  | "invalid_input"
  | "not_verified"
  | "host_not_allowed"
  | "blocked_destination"
  | "timeout"
  | "network"
  | "redirect"
  | "http_error"
  | "bad_response";

export type CallResult =
  | { ok: true; reply: string; status: number; durationMs: number; response: unknown }
  | { ok: false; failure: CallFailure; message: string; status?: number; durationMs: number; response?: unknown };

export interface CallInput {
  params: Record<string, unknown>;
  language: Language;
  /** The verified customer's id at the bank ({customerId} in the URL); null for a visitor. */
  customerId: string | null;
  conversationId?: string;
  /** Sent as Idempotency-Key: a change retried by the reply job is one change at the bank. */
  idempotencyKey?: string;
  /** Who made the call: the bot in a conversation, an admin trying the tool. */
  actor: Actor;
  /** "Try it" from the console, recorded as such. */
  trial?: boolean;
}

/**
 * Calls one of the bank's own tools: the input checked against its schema, the URL
 * filled (values URL-encoded), the host checked against CUSTOM_TOOL_HOSTS and the
 * address against the SSRF guard when connecting (security/outboundHttp.ts: no
 * redirects, a time-out), the JSON answer rendered with the reply template.
 *
 * Every call is audited as `custom_tool.called` with the tool, its version, the
 * conversation, the outcome, the HTTP status and the time taken — never an input's
 * value or the response, which are the customer's data.
 */
export async function callCustomTool(ctx: AppContext, tool: StoredCustomTool, input: CallInput): Promise<CallResult> {
  const started = performance.now();
  const result = await attempt(ctx, tool, input, started);
  await writeAudit(ctx.db, {
    actor: input.actor,
    action: "custom_tool.called",
    targetType: "custom_tool",
    targetId: tool.id,
    data: {
      tool: tool.name,
      version: tool.version,
      conversationId: input.conversationId ?? null,
      outcome: result.ok ? "ok" : result.failure,
      status: result.status ?? null,
      durationMs: result.durationMs,
      ...(input.trial ? { trial: true } : {}),
    },
  });
  if (!result.ok) {
    ctx.logger.warn(
      { tool: tool.name, version: tool.version, failure: result.failure, status: result.status ?? null, durationMs: result.durationMs },
      "custom tool call failed",
    );
  }
  return result;
}

async function attempt(ctx: AppContext, tool: StoredCustomTool, input: CallInput, started: number): Promise<CallResult> {
  const d = tool.definition;
  const took = () => Math.round(performance.now() - started);
  const fail = (failure: CallFailure, message: string, extra: { status?: number; response?: unknown } = {}): CallResult => ({
    ok: false,
    failure,
    message,
    durationMs: took(),
    ...extra,
  });

  const parsed = compileParameters(d.parameters).safeParse(input.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail("invalid_input", `Input ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const params = parsed.data;
  if (d.requiresVerifiedCustomer && !input.customerId) return fail("not_verified", "This tool needs a verified customer");

  const inUrl = new Set(urlPlaceholders(d.url));
  let url = fillUrl(d.url, { ...params, [CUSTOMER_ID_PLACEHOLDER]: input.customerId ?? "" });
  const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !inUrl.has(k)));
  const hasBody = d.method === "POST" || d.method === "PUT" || d.method === "PATCH";
  if (!hasBody && Object.keys(rest).length) {
    const target = new URL(url);
    for (const [k, v] of Object.entries(rest)) target.searchParams.append(k, String(v));
    url = target.toString();
  }
  const host = new URL(url).hostname;
  // Checked again at every call: the operator may have taken the host off the list since the tool was saved.
  if (!hostAllowed(host, ctx.config.CUSTOM_TOOL_HOSTS)) return fail("host_not_allowed", `${host} is not in CUSTOM_TOOL_HOSTS`);

  const headers: Record<string, string> = { accept: "application/json" };
  if (hasBody) headers["content-type"] = "application/json";
  if (input.idempotencyKey) headers["idempotency-key"] = input.idempotencyKey;
  if (d.auth.kind !== "none") {
    if (!tool.authSecret) return fail("invalid_input", "The tool has no stored secret");
    const secret = openToolSecret(ctx.secrets, tool.authSecret);
    if (d.auth.kind === "bearer") headers.authorization = `Bearer ${secret}`;
    else headers[d.auth.header.toLowerCase()] = secret;
  }

  let res: Response;
  try {
    res = await ctx.outbound.request(url, {
      method: d.method,
      headers,
      body: hasBody ? JSON.stringify(rest) : undefined,
      timeoutMs: d.timeoutMs,
    });
  } catch (err) {
    if (err instanceof BlockedDestinationError) return fail("blocked_destination", err.message);
    const name = (err as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") return fail("timeout", `No answer within ${d.timeoutMs} ms`);
    return fail("network", `${host} could not be reached`);
  }
  const status = res.status;
  let body: string;
  try {
    body = await readLimited(res, MAX_RESPONSE_BYTES);
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") return fail("timeout", `No answer within ${d.timeoutMs} ms`, { status });
    return fail("bad_response", (err as Error).message, { status });
  }
  if (status >= 300 && status < 400) return fail("redirect", `Answered ${status} (a redirect, which is not followed)`, { status });
  let data: unknown = {};
  if (body.trim()) {
    try {
      data = JSON.parse(body);
    } catch {
      return fail(status >= 400 ? "http_error" : "bad_response", `Answered ${status} with a body that is not JSON`, { status });
    }
  }
  if (status >= 400) return fail("http_error", `Answered ${status}`, { status, response: data });
  try {
    return { ok: true, reply: renderReply(d.responseTemplate[input.language], data), status, durationMs: took(), response: data };
  } catch (err) {
    if (err instanceof TemplateFieldMissing) return fail("bad_response", err.message, { status, response: data });
    throw err;
  }
}

/** The body as text, refusing one larger than `max` bytes without reading the rest. */
async function readLimited(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`The response is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
