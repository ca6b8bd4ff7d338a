import crypto from "node:crypto";
import type { Dispatcher } from "undici";
import { loadUndici } from "../../security/undici.ts";
import type { z } from "zod";
import type { Logger } from "../../logger.ts";
import type {
  Account,
  Card,
  CardReplacement,
  ContactDetails,
  CoreBanking,
  Deposit,
  Instalment,
  TransactionDetail,
  TransactionPage,
  TransactionQuery,
  WriteOptions,
} from "../CoreBanking.ts";
import { CoreBankingError } from "../errors.ts";
import { CircuitBreaker, CircuitOpenError, type BreakerState } from "./CircuitBreaker.ts";
import { ClientCredentials } from "./ClientCredentials.ts";
import {
  accountsBody,
  cardReplacementSchema,
  cardSchema,
  cardsBody,
  contactDetailsSchema,
  depositSchema,
  depositsBody,
  problemSchema,
  scheduleBody,
  transactionDetailSchema,
  transactionPageBody,
} from "./wire.ts";

export interface HttpCoreBankingOptions {
  /** The contract's base URL, e.g. https://core.bank.example/bankdesk/v1 (paths are appended to it). */
  baseUrl: string;
  /** Longest wait for one attempt of one call, answer body included. */
  timeoutMs: number;
  /** Extra attempts for a read that timed out, could not connect or got a 5xx/429; writes get none. */
  readRetries: number;
  /** First pause between read attempts; doubles each time, with jitter. */
  retryBackoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  oauth?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };
  /** Mutual TLS: our client certificate and key, and the CA that signed the core's server certificate (PEM). */
  tls?: { cert?: string; key?: string; ca?: string };
  logger?: Logger;
}

type Method = "GET" | "POST";

interface Call<S extends z.ZodType> {
  /** A name for logs and errors: the operation, never the URL (it holds the customer id). */
  op: string;
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  schema: S;
}

/** Failures worth another read: the core may answer the next attempt. */
const RETRYABLE = new Set(["timeout", "unreachable", "server_error"]);

/**
 * CoreBanking over the bank's HTTP API (docs/core-banking.openapi.yaml). Every call
 * has a time-out; reads are retried with backoff, writes never (a write whose answer
 * was lost may have been done: the caller retries it with the same idempotency key,
 * which the core answers with the first result). A circuit breaker stops calling a
 * core that keeps failing. Every answer is checked against the contract's schemas.
 * All failures are CoreBankingError.
 */
export class HttpCoreBanking implements CoreBanking {
  private readonly base: string;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly tokens: ClientCredentials | undefined;
  readonly breaker: CircuitBreaker;

  constructor(private readonly opts: HttpCoreBankingOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, "");
    // One agent for the process: it pools keep-alive connections to the core.
    const { Agent } = loadUndici();
    this.dispatcher = opts.tls
      ? new Agent({ connect: { cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca } })
      : new Agent({ keepAliveTimeout: 10_000 });
    this.tokens = opts.oauth ? new ClientCredentials({ ...opts.oauth, timeoutMs: opts.timeoutMs, dispatcher: this.dispatcher }) : undefined;
    this.breaker = new CircuitBreaker({
      ...opts.breaker,
      onStateChange: (state: BreakerState) =>
        state === "open"
          ? opts.logger?.warn({ breaker: state }, "core banking keeps failing: calls fail fast until it answers again")
          : opts.logger?.info({ breaker: state }, "core banking circuit breaker"),
    });
  }

  async accounts(customerId: string): Promise<Account[]> {
    return (await this.call({ op: "accounts", method: "GET", path: `${customer(customerId)}/accounts`, schema: accountsBody })).accounts;
  }

  async cards(customerId: string): Promise<Card[]> {
    return (await this.call({ op: "cards", method: "GET", path: `${customer(customerId)}/cards`, schema: cardsBody })).cards;
  }

  async transactions(customerId: string, query: TransactionQuery = {}): Promise<TransactionPage> {
    const page = await this.call({
      op: "transactions",
      method: "GET",
      path: `${customer(customerId)}/transactions`,
      query: { limit: query.limit, from: query.from, to: query.to, cursor: query.cursor },
      schema: transactionPageBody,
    });
    return { items: page.items.map((t) => ({ ...t, postedAt: new Date(t.postedAt) })), nextCursor: page.nextCursor };
  }

  async transaction(customerId: string, transactionId: string): Promise<TransactionDetail> {
    const t = await this.call({
      op: "transaction",
      method: "GET",
      path: `${customer(customerId)}/transactions/${encodeURIComponent(transactionId)}`,
      schema: transactionDetailSchema,
    });
    return { ...t, postedAt: new Date(t.postedAt) };
  }

  async deposits(customerId: string): Promise<Deposit[]> {
    return (await this.call({ op: "deposits", method: "GET", path: `${customer(customerId)}/deposits`, schema: depositsBody })).deposits;
  }

  async depositSchedule(customerId: string, depositId: string): Promise<Instalment[]> {
    const path = `${customer(customerId)}/deposits/${encodeURIComponent(depositId)}/schedule`;
    return (await this.call({ op: "deposit_schedule", method: "GET", path, schema: scheduleBody })).instalments;
  }

  async contactDetails(customerId: string): Promise<ContactDetails> {
    return await this.call({
      op: "contact_details",
      method: "GET",
      path: `${customer(customerId)}/contact-details`,
      schema: contactDetailsSchema,
    });
  }

  async setCardStatus(customerId: string, cardId: string, status: "active" | "frozen", opts: WriteOptions = {}): Promise<Card> {
    const action = status === "frozen" ? "freeze" : "unfreeze";
    return await this.call({
      op: `card_${action}`,
      method: "POST",
      path: `${customer(customerId)}/cards/${encodeURIComponent(cardId)}/${action}`,
      body: {},
      idempotencyKey: opts.idempotencyKey,
      schema: cardSchema,
    });
  }

  async reportCardLost(
    customerId: string,
    cardId: string,
    request: { reason: "lost" | "stolen"; orderReplacement: boolean },
    opts: WriteOptions = {},
  ): Promise<CardReplacement> {
    return await this.call({
      op: "card_report_lost",
      method: "POST",
      path: `${customer(customerId)}/cards/${encodeURIComponent(cardId)}/report-lost`,
      body: request,
      idempotencyKey: opts.idempotencyKey,
      schema: cardReplacementSchema,
    });
  }

  async makeUpInstalment(
    customerId: string,
    depositId: string,
    request: { fromAccountId: string },
    opts: WriteOptions = {},
  ): Promise<Deposit> {
    return await this.call({
      op: "instalment_make_up",
      method: "POST",
      path: `${customer(customerId)}/deposits/${encodeURIComponent(depositId)}/make-up-instalment`,
      body: request,
      idempotencyKey: opts.idempotencyKey,
      schema: depositSchema,
    });
  }

  /** Closes the pooled connections (at shutdown, and in tests). */
  async close(): Promise<void> {
    await this.dispatcher?.close();
  }

  private async call<S extends z.ZodType>(call: Call<S>): Promise<z.infer<S>> {
    const read = call.method === "GET";
    // A write's key is fixed before the first byte is sent: should the caller retry
    // after a lost answer, it passes its own key, which is what makes that safe.
    const key = read ? undefined : (call.idempotencyKey ?? crypto.randomUUID());
    const attempts = read ? 1 + this.opts.readRetries : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.breaker.run(
          () => this.attempt(call, key),
          (err) => err instanceof CoreBankingError && err.unavailable,
        );
      } catch (err) {
        const e =
          err instanceof CircuitOpenError
            ? new CoreBankingError("circuit_open", "Core banking is failing; calls are paused for a moment")
            : (err as CoreBankingError);
        if (attempt >= attempts || !RETRYABLE.has(e.failure)) throw e;
        const pause = this.opts.retryBackoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
        this.opts.logger?.warn(
          { op: call.op, failure: e.failure, status: e.upstreamStatus, attempt },
          "core banking read failed; retrying",
        );
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  private async attempt<S extends z.ZodType>(call: Call<S>, idempotencyKey: string | undefined): Promise<z.infer<S>> {
    const url = new URL(this.base + call.path);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    // One time-out for the answer's headers and its body, however long they take to
    // trickle in (a token, when one is fetched, has a time-out of its own: ClientCredentials).
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    const send = async (token: string | undefined) => {
      const headers: Record<string, string> = { accept: "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      if (call.body !== undefined) headers["content-type"] = "application/json";
      const res = await loadUndici().fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal,
        dispatcher: this.dispatcher,
      });
      return { status: res.status, text: await res.text(), type: res.headers.get("content-type") ?? "" };
    };
    let res;
    try {
      const token = await this.tokens?.get();
      res = await send(token);
      if (res.status === 401 && this.tokens && token) {
        // Expired or revoked early: one more try with a new token. Safe for a write
        // too: a 401 means the core did nothing, and the idempotency key is the same.
        this.tokens.invalidate(token);
        res = await send(await this.tokens.get());
      }
    } catch (err) {
      if (err instanceof CoreBankingError) throw err;
      if (signal.aborted) throw new CoreBankingError("timeout", `Core banking ${call.op} did not answer within ${this.opts.timeoutMs} ms`);
      throw Object.assign(new CoreBankingError("unreachable", `Core banking ${call.op}: connection failed`), { cause: err });
    }
    if (res.status < 200 || res.status >= 300) throw failure(call.op, res);
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new CoreBankingError("bad_response", `Core banking ${call.op} answered ${res.status} with a body that is not JSON`, res.status);
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      // Where the answer differs from the contract, never the values (they are customer data).
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
        .join("; ");
      throw new CoreBankingError("bad_response", `Core banking ${call.op} answered outside the contract (${where})`, res.status);
    }
    return parsed.data;
  }
}

const customer = (id: string) => `/customers/${encodeURIComponent(id)}`;

function failure(op: string, res: { status: number; text: string; type: string }): CoreBankingError {
  let title = "";
  if (/json/.test(res.type)) {
    try {
      const p = problemSchema.safeParse(JSON.parse(res.text));
      // The problem type's title is generic ("Card not found"); its detail may name the customer's data, so it stays out.
      if (p.success && p.data.title) title = `: ${p.data.title.slice(0, 120)}`;
    } catch {
      // Not JSON after all: the status says enough.
    }
  }
  const message = `Core banking ${op} failed with ${res.status}${title}`;
  const s = res.status;
  if (s === 404) return new CoreBankingError("not_found", message, s);
  if (s === 409 || s === 422) return new CoreBankingError("conflict", message, s);
  if (s === 429 || s >= 500) return new CoreBankingError("server_error", message, s);
  return new CoreBankingError("rejected", message, s);
}
