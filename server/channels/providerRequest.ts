import { ChannelError } from "./ChannelAdapter.ts";

/**
 * One HTTP call to a channel provider, with a timeout. Returns the parsed JSON
 * body of a 2xx response; anything else becomes a ChannelError whose message
 * names the provider and status but never the URL (WeChat puts its access token
 * in the query string) nor the request headers.
 */
export async function providerRequest<T = unknown>(
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
  let res: Response;
  try {
    res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (err) {
    const reason = (err as Error)?.name === "TimeoutError" ? "timed out" : "could not be reached";
    throw new ChannelError(`${provider} ${reason}`, true);
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) {
    // 408, 429 and 5xx are the provider's trouble and worth retrying; other 4xx are ours.
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new ChannelError(`${provider} answered ${res.status}${describeBody(text)}`, retryable, res.status);
  }
  if (!text || init.expectJson === false) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ChannelError(`${provider} answered ${res.status} with a body that is not JSON`, true, res.status);
  }
}

/** A short, single-line excerpt of a provider's error body for the delivery status. */
function describeBody(text: string): string {
  const t = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return t ? `: ${t}` : "";
}
