import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { loadConfig } from "../../server/config.ts";
import { startApp, type App } from "../../server/app.ts";
import { createLogger } from "../../server/logger.ts";
import type { ServiceName } from "../../server/config.ts";
import { createTestDatabase } from "./testDatabase.ts";
import type { Database } from "../../server/db/Database.ts";
import type { AppContext } from "../../server/context.ts";
import { identityHash, openIdentitySecret } from "../../server/auth/identity.ts";

export const FIXTURE_KNOWLEDGE = path.resolve(import.meta.dirname, "../fixtures/knowledge");
/** The real intents: small to train, and what the assistant ships with. */
export const INTENTS = path.resolve(import.meta.dirname, "../../knowledge/intents");

export interface TestApp extends App {
  url: string;
  db: Database;
  close(): Promise<void>;
}

/**
 * The real server on a fresh test database and a free port. With REDIS_URL set it
 * uses BullMQ and the Redis adapter under a prefix of its own, so parallel test
 * files do not see each other's jobs or broadcasts.
 */
export async function startTestApp(
  opts: { env?: Record<string, string>; services?: ServiceName[]; db?: Database; port?: number } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-test-"));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
    INTENTS_DIR: INTENTS,
    KNOWLEDGE_WATCH: "false",
    REDIS_PREFIX: `bdtest_${crypto.randomBytes(4).toString("hex")}`,
    DEMO_SEED: "true",
    // Off unless a test turns it on: the console scenarios expect handed-off
    // conversations to wait in Unassigned while their agent is signed in.
    AUTO_ASSIGN: "false",
    // Tests stage conversations by hand, some with a customer's question the bot never
    // saw; the sweep would answer them behind the test's back (the assistant test calls it).
    UNANSWERED_SWEEP: "false",
    // The tests' webhook receivers and fake providers listen on loopback, which the
    // outgoing-request guard refuses by default (tests/integration/outboundGuard.test.ts).
    OUTBOUND_ALLOW: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...opts.env,
  });
  const app = await startApp({ config, db, port: opts.port ?? 0, services: opts.services, logger: createLogger(config.LOG_LEVEL) });
  return {
    ...app,
    url: app.url!,
    db,
    close: async () => {
      await app.close();
      if (!opts.db) await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a widget session over HTTP and connects its socket. */
export async function connectWidget(
  app: { url: string },
  body: Record<string, unknown> = {},
): Promise<{ socket: Socket; token: string; session: Record<string, unknown> }> {
  const res = await fetch(`${app.url}/api/v1/widget/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ inbox: "website", ...body }),
  });
  const session = (await res.json()) as { token: string };
  if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(session)}`);
  const socket = connect(`${app.url}/widget`, {
    auth: { token: session.token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { socket, token: session.token, session };
}

export function emitAck<T = Record<string, unknown>>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}

/** Connects an agent's console socket with a signed-in session's cookie (its batched events unpacked). */
export async function connectAgentSocket(app: { url: string }, cookie: string): Promise<Socket> {
  const socket = unpackAgentEvents(
    connect(`${app.url}/agent`, { extraHeaders: { cookie }, transports: ["websocket"], reconnection: false, forceNew: true }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Resolves with the reason when the server closes the socket ("already closed" if it was). */
export function closedByServer(socket: Socket): Promise<string> {
  return new Promise<string>((resolve) => {
    if (!socket.connected) return resolve("already closed");
    socket.once("disconnect", (reason) => resolve(reason));
  });
}

/** Waits for the first event matching `pred`. */
/**
 * An agent socket receives the events of a few milliseconds as one "events" packet
 * under load (server/services/realtime/batchAgentEvents.ts): this hands each to the
 * socket's own listeners, as the console does, so tests listen for events by name.
 */
export function unpackAgentEvents<S extends Socket>(socket: S): S {
  socket.on("events", (batch: Array<[string, unknown]>) => {
    for (const [event, payload] of batch) for (const listener of socket.listeners(event)) listener(payload);
  });
  return socket;
}

export function nextEvent<T>(socket: Socket, event: string, pred: (p: T) => boolean = () => true, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (socket.off(event, h), reject(new Error(`no ${event} within ${ms} ms`))), ms);
    const h = (p: T) => {
      if (!pred(p)) return;
      clearTimeout(t);
      socket.off(event, h);
      resolve(p);
    };
    socket.on(event, h);
  });
}

/** A parsed JSON body, read loosely as tests read it. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A console API call as a signed-in agent (or, with no session, as nobody): the session's
 * cookie, its CSRF token on writes, a JSON body, any extra headers. The body comes back
 * parsed when it is JSON, and as text, with the response's headers.
 */
export async function callApi(
  app: { url: string },
  session: { cookie: string; csrf: string } | null,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: Json; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (session) headers.cookie = session.cookie;
  if (session && method !== "GET") headers["x-csrf-token"] = session.csrf;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${app.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("json");
  return { status: res.status, body: text && json ? JSON.parse(text) : {}, text, headers: res.headers };
}

/** Signs in through the API; returns the cookie header and CSRF token. */
export async function signInAgent(app: { url: string }, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${app.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, csrf: body.csrfToken };
}

/**
 * The demo inbox with the signed page identity enough for every account tool, as
 * before step-up verification: for tests of the tools themselves. The demo seed asks
 * for a one-time code before changes; tests/integration/stepUp.test.ts tests that.
 */
export async function pageIdentityOnly(app: { db: Database }): Promise<void> {
  await app.db.query("UPDATE inboxes SET settings = settings - 'stepUp' WHERE slug = 'website'");
}

/** The demo inbox's identity hash for a demo customer (its secret is generated when the demo is seeded). */
export async function demoIdentityHash(ctx: Pick<AppContext, "db" | "secrets">, userId: string): Promise<string> {
  const { rows } = await ctx.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE slug = 'website'");
  return identityHash(userId, openIdentitySecret(ctx.secrets, rows[0]!.identity_secret));
}

/**
 * A demo customer on the demo inbox's widget, signed in as a bank's page signs them in: their id
 * with its identity hash (HMAC with the inbox's secret), so the session is verified.
 */
export async function connectVerifiedCustomer(
  app: { url: string; ctx: Pick<AppContext, "db" | "secrets"> },
  userId: string,
  body: Record<string, unknown> = {},
): ReturnType<typeof connectWidget> {
  return connectWidget(app, { userId, identityHash: await demoIdentityHash(app.ctx, userId), ...body });
}
