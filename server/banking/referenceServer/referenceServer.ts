import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { CoreBanking } from "../CoreBanking.ts";
import { CoreBankingError } from "../errors.ts";
import { safeEqual } from "../../security/safeEqual.ts";

/**
 * The reference implementation of the core-banking contract
 * (docs/core-banking.openapi.yaml) over a CoreBanking, normally the demo bank.
 * It shows a bank what its side must do (paths, bodies, problem+json errors,
 * idempotency keys, OAuth2 client credentials, mutual TLS), lets BankDesk's demo
 * run against a real HTTP core (`npm run core-banking:reference`), and is what the
 * adapter's tests talk to, with faults injected: slow answers, 5xx, dropped
 * connections, answers outside the contract, expired tokens.
 *
 * Idempotency records live in memory: enough for a reference and for tests; a bank
 * keeps them in its own store for at least a day (the contract says so).
 */
export interface ReferenceServerOptions {
  core: CoreBanking;
  port?: number;
  host?: string;
  /** Require OAuth2 bearer tokens, issued at POST /oauth/token to this client. */
  oauth?: { clientId: string; clientSecret: string; tokenTtlSeconds?: number };
  /** Serve HTTPS; with `clientCa`, only to clients whose certificate that CA signed (mutual TLS). */
  tls?: { cert: string; key: string; clientCa?: string };
}

/** One injected fault, applied to the next matching requests. */
export type Fault =
  | { kind: "delay"; ms: number }
  | { kind: "status"; status: number }
  /** Close the connection without answering, before the request is carried out. */
  | { kind: "drop" }
  /** Carry the request out, then close the connection without answering: the answer is lost. */
  | { kind: "drop_after" }
  /** Answer 200 with a body outside the contract. */
  | { kind: "off_contract" };

export interface ReferenceServer {
  url: string;
  tokenUrl: string;
  /** Queues `fault` for the next `times` requests whose path matches `match` (all API requests by default). */
  inject(fault: Fault, opts?: { times?: number; match?: RegExp }): void;
  clearFaults(): void;
  /** Every issued token stops being accepted (as when tokens expire or the keys rotate). */
  expireTokens(): void;
  /**
   * What reached the API after authentication: every request (faulted ones too), requests per
   * operation that reached its handler, writes carried out, replays answered; and tokens issued
   * and requests refused for want of a valid one.
   */
  stats: {
    received: number;
    unauthorized: number;
    requests: Record<string, number>;
    writes: number;
    replays: number;
    tokensIssued: number;
  };
  close(): Promise<void>;
}

// Problem types are identifiers, not pages to fetch (RFC 9457 §3.1.1); `code` repeats the slug for clients that switch on it.
const problemType = (slug: string) => `urn:bankdesk:core-banking:problem:${slug}`;

/** A write's Idempotency-Key and what was first answered to it (nothing yet while it runs). */
interface KeyRecord {
  key: string;
  fingerprint: string;
  answer?: { status: number; type: string; body: string };
}

/**
 * Every answer of the API goes out here: a write's answer is remembered under its
 * Idempotency-Key (a 5xx frees the key instead: nothing was done), and an injected
 * "drop_after" fault loses it on the way back after it was remembered.
 */
function answer(res: Response, status: number, body: unknown, type = "application/json"): void {
  const record = res.locals.idempotency as (KeyRecord & { forget(): void }) | undefined;
  const text = JSON.stringify(body);
  if (record) {
    if (status < 500) record.answer = { status, type, body: text };
    else record.forget();
  }
  if (res.locals.dropAnswer) return void res.req.socket.destroy();
  res.status(status).type(type).send(text);
}

function problem(res: Response, status: number, slug: string, title: string, detail?: string): void {
  answer(res, status, { type: problemType(slug), title, status, code: slug, ...(detail ? { detail } : {}) }, "application/problem+json");
}

const transactionQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  cursor: z.string().min(1).max(500).optional(),
});
const reportLostBody = z.object({ reason: z.enum(["lost", "stolen"]), orderReplacement: z.boolean() });
const makeUpBody = z.object({ fromAccountId: z.string().min(1) });
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export async function startReferenceServer(opts: ReferenceServerOptions): Promise<ReferenceServer> {
  const { core } = opts;
  const tokens = new Map<string, number>();
  const faults: Array<{ fault: Fault; left: number; match?: RegExp }> = [];
  const stats: ReferenceServer["stats"] = { received: 0, unauthorized: 0, requests: {}, writes: 0, replays: 0, tokensIssued: 0 };
  // Idempotency-Key → the first request's fingerprint and answer (or that it is still running).
  const done = new Map<string, KeyRecord>();

  const app = express();
  app.disable("x-powered-by");

  app.post("/oauth/token", express.urlencoded({ extended: false }), (req, res) => {
    if (!opts.oauth) return problem(res, 404, "not-found", "No token endpoint: this server does not use OAuth2");
    const [id, secret] = basicCredentials(req.headers.authorization);
    // Form-encoded credentials (client_secret_post) are allowed too, as RFC 6749 §2.3.1 lets servers do.
    const clientId = id ?? (req.body as Record<string, string>)?.client_id;
    const clientSecret = secret ?? (req.body as Record<string, string>)?.client_secret;
    if ((req.body as Record<string, string>)?.grant_type !== "client_credentials") {
      return void res.status(400).json({ error: "unsupported_grant_type" });
    }
    if (
      clientId === undefined ||
      clientSecret === undefined ||
      !safeEqual(clientId, opts.oauth.clientId) ||
      !safeEqual(clientSecret, opts.oauth.clientSecret)
    ) {
      return void res.status(401).set("www-authenticate", 'Basic realm="core-banking"').json({ error: "invalid_client" });
    }
    const ttl = opts.oauth.tokenTtlSeconds ?? 300;
    const token = crypto.randomBytes(24).toString("base64url");
    tokens.set(token, Date.now() + ttl * 1000);
    stats.tokensIssued++;
    res.set("cache-control", "no-store").json({ access_token: token, token_type: "Bearer", expires_in: ttl });
  });

  const api = express.Router();
  api.use(express.json({ limit: "16kb" }));

  // Bearer tokens, when OAuth2 is on.
  api.use((req, res, next) => {
    if (!opts.oauth) return next();
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    const expires = m ? tokens.get(m[1]!) : undefined;
    if (!expires || expires <= Date.now()) {
      stats.unauthorized++;
      res.set("www-authenticate", `Bearer realm="core-banking"${m ? ', error="invalid_token"' : ""}`);
      return problem(res, 401, "unauthenticated", "Missing, expired or unknown access token");
    }
    next();
  });

  // Writes: an Idempotency-Key is required, and a key seen before gets the first answer again.
  api.use((req, res, next) => {
    stats.received++;
    if (req.method !== "POST") return next();
    const key = req.header("idempotency-key");
    if (!key || !IDEMPOTENCY_KEY.test(key)) {
      return problem(res, 400, "idempotency-key-required", "Writes need an Idempotency-Key header (1–255 visible ASCII characters)");
    }
    const fingerprint = crypto
      .createHash("sha256")
      .update(`${req.method} ${req.path} ${JSON.stringify(req.body ?? {})}`)
      .digest("hex");
    const seen = done.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return problem(res, 422, "idempotency-key-reused", "This Idempotency-Key was used for a different request");
      }
      if (!seen.answer) return problem(res, 409, "request-in-progress", "A request with this Idempotency-Key is still running");
      stats.replays++;
      return void res.status(seen.answer.status).type(seen.answer.type).set("idempotent-replayed", "true").send(seen.answer.body);
    }
    const record: KeyRecord = { key, fingerprint };
    const forget = () => done.get(key) === record && done.delete(key);
    done.set(key, record);
    // A client that gives up (its time-out) does not free the key: the write may still be
    // carried out, and its retry must get that answer, not run it a second time.
    res.locals.idempotency = Object.assign(record, { forget });
    next();
  });

  // Injected faults, after a write's key is taken (a slow write is "still running" for a repeat).
  api.use(async (req, res, next) => {
    const i = faults.findIndex((f) => !f.match || f.match.test(req.path));
    if (i < 0) return next();
    const f = faults[i]!;
    if (--f.left <= 0) faults.splice(i, 1);
    const fault = f.fault;
    switch (fault.kind) {
      case "delay":
        await new Promise((r) => setTimeout(r, fault.ms));
        return next();
      case "status":
        return problem(res, fault.status, "injected", `Injected fault ${fault.status}`);
      case "drop":
        // Before the request is carried out: nothing was done, so its key is free again.
        (res.locals.idempotency as { forget(): void } | undefined)?.forget();
        return void req.socket.destroy();
      case "drop_after":
        // Let the request be carried out, then lose the answer on its way back.
        res.locals.dropAnswer = true;
        return next();
      case "off_contract":
        return answer(res, 200, { accounts: [{ id: 1, balance: "lots" }], cards: "none", items: null, deposits: {}, instalments: 7 });
    }
  });

  const count = (op: string) => (stats.requests[op] = (stats.requests[op] ?? 0) + 1);
  const write = <T>(op: string, fn: (req: Request) => Promise<T>, status = 200) =>
    handle(op, async (req, res) => {
      const out = await fn(req);
      stats.writes++;
      answer(res, status, out);
    });
  const read = <T>(op: string, fn: (req: Request) => Promise<T>) =>
    handle(op, async (req, res) => {
      answer(res, 200, await fn(req));
    });
  function handle(op: string, fn: (req: Request, res: Response) => Promise<void>) {
    return async (req: Request, res: Response, next: NextFunction) => {
      count(op);
      try {
        await fn(req, res);
      } catch (err) {
        next(err);
      }
    };
  }
  const id = (req: Request, name: string) => String(req.params[name]);

  api.get(
    "/customers/:customerId/accounts",
    read("accounts", async (req) => ({ accounts: await core.accounts(id(req, "customerId")) })),
  );
  api.get(
    "/customers/:customerId/cards",
    read("cards", async (req) => ({ cards: await core.cards(id(req, "customerId")) })),
  );
  api.get(
    "/customers/:customerId/transactions",
    read("transactions", async (req) => await core.transactions(id(req, "customerId"), parse(transactionQuery, req.query))),
  );
  api.get(
    "/customers/:customerId/transactions/:transactionId",
    read("transaction", async (req) => await core.transaction(id(req, "customerId"), id(req, "transactionId"))),
  );
  api.get(
    "/customers/:customerId/contact-details",
    read("contact_details", async (req) => await core.contactDetails(id(req, "customerId"))),
  );
  api.get(
    "/customers/:customerId/deposits",
    read("deposits", async (req) => ({ deposits: await core.deposits(id(req, "customerId")) })),
  );
  api.get(
    "/customers/:customerId/deposits/:depositId/schedule",
    read("deposit_schedule", async (req) => ({ instalments: await core.depositSchedule(id(req, "customerId"), id(req, "depositId")) })),
  );
  for (const [action, status] of [
    ["freeze", "frozen"],
    ["unfreeze", "active"],
  ] as const) {
    api.post(
      `/customers/:customerId/cards/:cardId/${action}`,
      write(`card_${action}`, async (req) => await core.setCardStatus(id(req, "customerId"), id(req, "cardId"), status)),
    );
  }
  api.post(
    "/customers/:customerId/cards/:cardId/report-lost",
    write(
      "card_report_lost",
      async (req) =>
        await core.reportCardLost(id(req, "customerId"), id(req, "cardId"), parse(reportLostBody, req.body), {
          idempotencyKey: req.header("idempotency-key"),
        }),
      201,
    ),
  );
  api.post(
    "/customers/:customerId/deposits/:depositId/make-up-instalment",
    write(
      "instalment_make_up",
      async (req) =>
        await core.makeUpInstalment(id(req, "customerId"), id(req, "depositId"), parse(makeUpBody, req.body), {
          idempotencyKey: req.header("idempotency-key"),
        }),
    ),
  );
  api.use((_req: Request, res: Response) => problem(res, 404, "not-found", "No such operation"));
  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof CoreBankingError) {
      const status = err.failure === "not_found" ? 404 : err.failure === "conflict" ? 409 : err.failure === "rejected" ? 400 : 503;
      return problem(res, status, err.failure.replace(/_/g, "-"), err.message);
    }
    if (err instanceof z.ZodError) {
      return problem(
        res,
        400,
        "invalid-request",
        "The request does not match the contract",
        err.issues.map((i) => i.path.join(".")).join(", "),
      );
    }
    if ((err as { type?: string })?.type === "entity.parse.failed")
      return problem(res, 400, "invalid-request", "The body is not valid JSON");
    problem(res, 500, "internal", "Internal error");
  });
  app.use(api);

  const server = opts.tls
    ? https.createServer(
        {
          cert: opts.tls.cert,
          key: opts.tls.key,
          ...(opts.tls.clientCa ? { ca: opts.tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        app,
      )
    : http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? "https" : "http"}://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`;

  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    inject: (fault, o = {}) => faults.push({ fault, left: o.times ?? 1, match: o.match }),
    clearFaults: () => void faults.splice(0),
    expireTokens: () => tokens.clear(),
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return schema.parse(value);
}

function basicCredentials(header: string | undefined): [string | undefined, string | undefined] {
  const m = /^Basic (\S+)$/i.exec(header ?? "");
  if (!m) return [undefined, undefined];
  const decoded = Buffer.from(m[1]!, "base64").toString();
  const i = decoded.indexOf(":");
  if (i < 0) return [undefined, undefined];
  try {
    return [decodeURIComponent(decoded.slice(0, i)), decodeURIComponent(decoded.slice(i + 1))];
  } catch {
    return [undefined, undefined];
  }
}
