import type { Dispatcher } from "undici";
import { loadUndici } from "../../security/undici.ts";
import { CoreBankingError } from "../errors.ts";
import { tokenBody } from "./wire.ts";

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  timeoutMs: number;
  /** The mutual-TLS agent, when the bank asks for a client certificate at its token endpoint too. */
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** Tokens without an expires_in are kept this long: the RFC leaves it to the server's documentation. */
const DEFAULT_LIFETIME_MS = 60_000;

/**
 * OAuth2 client credentials (RFC 6749 §4.4) for the core system's API: one token
 * shared by all calls, fetched once and kept until shortly before it expires (calls
 * waiting for it share one request). The core may still reject a token early (its
 * keys rotated, a clock apart): the adapter then calls `invalidate` and tries once
 * more with a new one. The secret and tokens are never logged or put in errors.
 */
export class ClientCredentials {
  private token: { value: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: ClientCredentialsOptions) {
    this.now = opts.now ?? Date.now;
  }

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return await this.pending;
  }

  /** Forgets `token` if it is still the current one (another call may have replaced it already). */
  invalidate(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (this.opts.scope) body.set("scope", this.opts.scope);
    // Client authentication by HTTP Basic, as RFC 6749 §2.3.1 asks servers to support.
    const basic = Buffer.from(`${encodeURIComponent(this.opts.clientId)}:${encodeURIComponent(this.opts.clientSecret)}`).toString("base64");
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let res;
    let text: string;
    try {
      res = await loadUndici().fetch(this.opts.tokenUrl, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: body.toString(),
        signal,
        dispatcher: this.opts.dispatcher,
      });
      text = await res.text();
    } catch (err) {
      throw signal.aborted
        ? new CoreBankingError("timeout", `Core banking token endpoint did not answer within ${this.opts.timeoutMs} ms`)
        : Object.assign(new CoreBankingError("unreachable", "Core banking token endpoint could not be reached"), { cause: err });
    }
    if (res.status >= 500 || res.status === 429) {
      throw new CoreBankingError("server_error", `Core banking token endpoint failed (${res.status})`, res.status);
    }
    if (!res.ok) {
      throw new CoreBankingError("rejected", `Core banking token endpoint refused our client credentials (${res.status})`, res.status);
    }
    let parsed;
    try {
      parsed = tokenBody.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) throw new CoreBankingError("bad_response", "Core banking token endpoint answered without a usable bearer token");
    const lifetime = parsed.data.expires_in ? parsed.data.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    // Renew a little early so a token does not expire on its way to the core.
    const margin = Math.min(30_000, lifetime / 10);
    this.token = { value: parsed.data.access_token, refreshAt: this.now() + lifetime - margin };
    return this.token.value;
  }
}
