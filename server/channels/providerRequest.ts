import type { OutboundHttp } from "../security/outboundHttp.ts";
import { BlockedDestinationError } from "../security/destinations.ts";
import { ChannelError } from "./ChannelAdapter.ts";

/**
 * One HTTP call to a channel provider, with a timeout, through the SSRF guard.
 * Returns the parsed JSON body of a 2xx response; anything else becomes a
 * ChannelError naming the provider and the status only: never the URL (WeChat
 * puts its access token in the query string), the request headers, or the
 * receiver's answer, which agents would read in the delivery status and which
 * would turn the delivery log into a window on whatever the URL points at.
 */
export async function providerRequest<T = unknown>(
  http: OutboundHttp,
  provider: string,
  url: string,
  init: {
    method: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    /** False for receivers whose answer we do not read (the API channel's webhook). */
    expectJson?: boolean;
  },
): Promise<T> {
  let res: Awaited<ReturnType<OutboundHttp["request"]>>;
  try {
    res = await http.request(url, init);
  } catch (err) {
    // A forbidden address is a setting to fix, not a passing fault: no retry.
    if (err instanceof BlockedDestinationError)
      throw new ChannelError(`${provider} is at an address outgoing requests may not reach`, false);
    const reason = (err as Error)?.name === "TimeoutError" ? "timed out" : "could not be reached";
    throw new ChannelError(`${provider} ${reason}`, true);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => {});
    throw new ChannelError(`${provider} answered ${res.status} (a redirect, not followed)`, false, res.status);
  }
  if (!res.ok) {
    // 408, 429 and 5xx are the provider's trouble and worth retrying; other 4xx are ours.
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new ChannelError(`${provider} answered ${res.status}${errorCode(await res.text().catch(() => ""))}`, retryable, res.status);
  }
  if (init.expectJson === false) {
    await res.body?.cancel().catch(() => {});
    return {} as T;
  }
  const text = await res.text().catch(() => "");
  if (!text) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ChannelError(`${provider} answered ${res.status} with a body that is not JSON`, true, res.status);
  }
}

/**
 * The provider's numeric error code, when its error body carries one (Twilio
 * `{code}`, Meta `{error: {code}}`), which the provider documents and support
 * can look up: " (error 21211)". A number says nothing about whatever else
 * answered, so nothing but a number is taken from the body.
 */
function errorCode(text: string): string {
  try {
    const body = JSON.parse(text.slice(0, 10_000)) as { code?: unknown; error?: { code?: unknown } };
    const code = body?.code ?? body?.error?.code;
    return Number.isSafeInteger(code) ? ` (error ${code as number})` : "";
  } catch {
    return "";
  }
}
