import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDatabase } from "../../db/pglite.ts";
import type { DemoCoreBanking } from "../DemoCoreBanking.ts";
import { CoreBankingError } from "../errors.ts";
import { openDemoBank } from "../referenceServer/demoBank.ts";
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from "../referenceServer/referenceServer.ts";
import { generateTestCertificates, type TestCertificates } from "../referenceServer/testCertificates.ts";
import { HttpCoreBanking, type HttpCoreBankingOptions } from "./HttpCoreBanking.ts";
import { accountsBody, cardsBody, depositsBody, transactionPageBody } from "./wire.ts";

/**
 * The HTTP adapter against the reference server over the demo bank: a real HTTP
 * (and TLS) server on a free port, with faults injected server-side. No mocked
 * client: what is tested is what goes over the wire.
 */
let bank: { db: PGliteDatabase; core: DemoCoreBanking };
const servers: ReferenceServer[] = [];
const adapters: HttpCoreBanking[] = [];

beforeAll(async () => {
  bank = await openDemoBank();
});
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await Promise.all(servers.map((s) => s.close()));
  await bank?.db.close();
});

async function serve(opts: Partial<ReferenceServerOptions> = {}): Promise<ReferenceServer> {
  const s = await startReferenceServer({ core: bank.core, ...opts });
  servers.push(s);
  return s;
}

function adapter(server: ReferenceServer, opts: Partial<HttpCoreBankingOptions> = {}): HttpCoreBanking {
  const a = new HttpCoreBanking({
    baseUrl: server.url,
    timeoutMs: 2000,
    readRetries: 2,
    retryBackoffMs: 5,
    breaker: { failureThreshold: 50, resetMs: 60_000 },
    ...opts,
  });
  adapters.push(a);
  return a;
}

async function failure(p: Promise<unknown>): Promise<CoreBankingError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CoreBankingError);
  return err as CoreBankingError;
}

describe("HttpCoreBanking against the reference server", () => {
  let server: ReferenceServer;
  let core: HttpCoreBanking;
  beforeAll(async () => {
    server = await serve();
    core = adapter(server);
  });

  it("reads accounts, cards, deposits and an instalment plan's schedule as the demo bank has them", async () => {
    expect(await core.accounts("C-1001")).toEqual(await bank.core.accounts("C-1001"));
    const cards = await core.cards("C-1001");
    expect(cards.map((c) => c.last4).sort()).toEqual(["4321", "5678"]);
    const deposits = await core.deposits("C-1001");
    expect(deposits).toEqual(await bank.core.deposits("C-1001"));
    const plan = deposits.find((d) => d.kind === "instalment")!;
    const schedule = await core.depositSchedule("C-1001", plan.id);
    expect(schedule).toHaveLength(36);
    expect(schedule.filter((i) => i.status === "paid")).toHaveLength(10);
    expect(schedule.filter((i) => i.status === "missed")).toHaveLength(1);
    expect(await core.depositSchedule("C-1001", deposits.find((d) => d.kind === "time")!.id)).toEqual([]);
    // The reference server's answers are the contract's.
    expect(accountsBody.safeParse({ accounts: await bank.core.accounts("C-1002") }).success).toBe(true);
    expect(cardsBody.safeParse({ cards: await bank.core.cards("C-1002") }).success).toBe(true);
    expect(depositsBody.safeParse({ deposits }).success).toBe(true);
  });

  it("reads the phone and e-mail address the bank has on file; an unknown customer is not found", async () => {
    expect(await core.contactDetails("C-1001")).toEqual({ phone: "+8613800138001", email: "wang.fang@example.com" });
    await expect(core.contactDetails("C-NOBODY")).rejects.toMatchObject({ failure: "not_found" });
  });

  it("pages through transactions newest first, within a date range, and shows one's details", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await core.transactions("C-1001", { limit: 7, cursor });
      expect(transactionPageBody.safeParse(JSON.parse(JSON.stringify(page))).success).toBe(true);
      seen.push(...page.items.map((t) => t.id));
      for (let i = 1; i < page.items.length; i++) expect(page.items[i - 1]!.postedAt >= page.items[i]!.postedAt).toBe(true);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(new Set(seen).size).toBe(24);
    expect(pages).toBe(4);

    const today = new Date();
    const from = new Date(today.getTime() - 4 * 86_400_000).toISOString().slice(0, 10);
    const recent = await core.transactions("C-1001", { from, to: today.toISOString().slice(0, 10), limit: 100 });
    expect(recent.items.length).toBeGreaterThan(0);
    expect(recent.items.length).toBeLessThan(24);
    for (const t of recent.items) expect(t.postedAt.toISOString().slice(0, 10) >= from).toBe(true);

    const one = recent.items[0]!;
    const detail = await core.transaction("C-1001", one.id);
    expect(detail).toMatchObject({ id: one.id, amount: one.amount, currency: "CNY", status: "posted" });
    expect(detail.accountMaskedNumber).toMatch(/^•••• \d{4}$/);
    expect(detail.postedAt).toBeInstanceOf(Date);
    // Another customer's transaction does not exist for this one.
    expect((await failure(core.transaction("C-1002", one.id))).failure).toBe("not_found");
    expect((await failure(core.transactions("C-1001", { from: "last week" }))).failure).toBe("rejected");
  });

  it("freezes and unfreezes a card, each write with an Idempotency-Key", async () => {
    const card = (await core.cards("C-1002")).find((c) => c.kind === "debit")!;
    expect(await core.setCardStatus("C-1002", card.id, "frozen")).toMatchObject({ id: card.id, status: "frozen" });
    expect(await core.setCardStatus("C-1002", card.id, "active")).toMatchObject({ id: card.id, status: "active" });
    expect((await failure(core.setCardStatus("C-1002", "no-such-card", "frozen"))).failure).toBe("not_found");
  });

  it("makes up a missed instalment once, from a current account", async () => {
    const plan = (await core.deposits("C-1001")).find((d) => d.kind === "instalment")!;
    const everyday = (await core.accounts("C-1001")).find((a) => a.kind === "current")!;
    const key = crypto.randomUUID();
    const after = await core.makeUpInstalment("C-1001", plan.id, { fromAccountId: everyday.id }, { idempotencyKey: key });
    expect(after).toMatchObject({ paidInstalments: 11, missedInstalments: 0 });
    // The same request again (a lost answer, retried): the first result, no second payment.
    expect(await core.makeUpInstalment("C-1001", plan.id, { fromAccountId: everyday.id }, { idempotencyKey: key })).toEqual(after);
    expect((await core.accounts("C-1001")).find((a) => a.id === everyday.id)!.balance).toBe(everyday.balance - plan.monthly!);
    // A new request: nothing left to make up.
    const again = await failure(core.makeUpInstalment("C-1001", plan.id, { fromAccountId: everyday.id }));
    expect(again).toMatchObject({ failure: "conflict", upstreamStatus: 409 });
  });

  it("reports a card lost and orders its replacement; the same key again is the same report", async () => {
    const card = (await core.cards("C-1002")).find((c) => c.kind === "credit")!;
    const key = crypto.randomUUID();
    const writes = server.stats.writes;
    const report = await core.reportCardLost("C-1002", card.id, { reason: "stolen", orderReplacement: true }, { idempotencyKey: key });
    expect(report).toMatchObject({ card: { id: card.id, status: "cancelled" }, status: "ordered" });
    expect(report.replacementLast4).toMatch(/^\d{4}$/);
    expect(await core.reportCardLost("C-1002", card.id, { reason: "stolen", orderReplacement: true }, { idempotencyKey: key })).toEqual(
      report,
    );
    expect(server.stats.writes).toBe(writes + 1);
    expect((await core.cards("C-1002")).map((c) => c.id)).not.toContain(card.id);
    // The same key for another request is refused, not answered with the first result.
    const reused = await failure(
      core.reportCardLost("C-1002", card.id, { reason: "lost", orderReplacement: false }, { idempotencyKey: key }),
    );
    expect(reused).toMatchObject({ failure: "conflict", upstreamStatus: 422 });
  });
});

describe("HttpCoreBanking when the core misbehaves", () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await serve();
  });

  it("gives up on a slow answer after its time-out", async () => {
    const core = adapter(server, { timeoutMs: 150, readRetries: 0 });
    server.inject({ kind: "delay", ms: 1000 });
    const t0 = Date.now();
    const err = await failure(core.accounts("C-1001"));
    expect(err.failure).toBe("timeout");
    expect(err.unavailable).toBe(true);
    expect(Date.now() - t0).toBeLessThan(900);
  });

  it("retries a read that got a 500, and then answers", async () => {
    const core = adapter(server);
    const before = server.stats.received;
    server.inject({ kind: "status", status: 500 }, { times: 2 });
    expect(await core.accounts("C-1001")).toHaveLength(3);
    expect(server.stats.received - before).toBe(3);
  });

  it("gives up on reads after its retries, with the core's status", async () => {
    const core = adapter(server, { readRetries: 1 });
    server.inject({ kind: "status", status: 503 }, { times: 5 });
    const err = await failure(core.cards("C-1001"));
    expect(err).toMatchObject({ failure: "server_error", upstreamStatus: 503 });
    server.clearFaults();
  });

  it("never retries a write by itself; the caller's retry with the same key is one change", async () => {
    const core = adapter(server);
    const card = (await core.cards("C-1001")).find((c) => c.kind === "debit")!;
    let before = server.stats.received;
    server.inject({ kind: "status", status: 500 }, { match: /freeze$/ });
    expect((await failure(core.setCardStatus("C-1001", card.id, "frozen"))).failure).toBe("server_error");
    expect(server.stats.received - before).toBe(1);

    // The freeze is carried out but its answer is lost on the way back.
    const key = crypto.randomUUID();
    const writes = server.stats.writes;
    before = server.stats.received;
    server.inject({ kind: "drop_after" }, { match: /freeze$/ });
    expect((await failure(core.setCardStatus("C-1001", card.id, "frozen", { idempotencyKey: key }))).failure).toBe("unreachable");
    expect(server.stats.received - before).toBe(1);
    expect((await bank.core.cards("C-1001")).find((c) => c.id === card.id)!.status).toBe("frozen");
    // The caller (a retried reply job) sends it again with its key: answered, not done twice.
    const replays = server.stats.replays;
    expect(await core.setCardStatus("C-1001", card.id, "frozen", { idempotencyKey: key })).toMatchObject({ status: "frozen" });
    expect(server.stats.writes).toBe(writes + 1);
    expect(server.stats.replays).toBe(replays + 1);
    await core.setCardStatus("C-1001", card.id, "active");
  });

  it("retries a read whose connection was dropped; without retries it is 'unreachable'", async () => {
    server.inject({ kind: "drop" });
    expect(await adapter(server).deposits("C-1001")).toHaveLength(2);
    server.inject({ kind: "drop" });
    expect((await failure(adapter(server, { readRetries: 0 }).deposits("C-1001"))).failure).toBe("unreachable");
  });

  it("says 'unreachable' at once when the core is gone altogether (connection refused), after its retries", async () => {
    const gone = await startReferenceServer({ core: bank.core });
    const core = adapter(gone, { timeoutMs: 5000 });
    expect(await core.cards("C-1001")).toHaveLength(2);
    await gone.close();
    const t0 = Date.now();
    expect((await failure(core.cards("C-1001"))).failure).toBe("unreachable");
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("turns an answer outside the contract into a clear error, naming where, not what", async () => {
    server.inject({ kind: "off_contract" });
    const err = await failure(adapter(server, { readRetries: 0 }).accounts("C-1001"));
    expect(err.failure).toBe("bad_response");
    expect(err.message).toMatch(/accounts answered outside the contract \(accounts\.0\.id: .+\)/);
    expect(err.message).not.toContain("lots");
  });

  it("opens its breaker after failures in a row and fails fast while open", async () => {
    const core = adapter(server, { readRetries: 0, breaker: { failureThreshold: 2, resetMs: 200 } });
    server.inject({ kind: "status", status: 502 }, { times: 2 });
    expect((await failure(core.accounts("C-1001"))).failure).toBe("server_error");
    expect((await failure(core.accounts("C-1001"))).failure).toBe("server_error");
    const before = server.stats.received;
    const open = await failure(core.accounts("C-1001"));
    expect(open).toMatchObject({ failure: "circuit_open", code: "unavailable" });
    expect(server.stats.received).toBe(before);
    // After the reset time one call probes the core; it answers, and calls flow again.
    await new Promise((r) => setTimeout(r, 250));
    expect(await core.accounts("C-1001")).toHaveLength(3);
    expect(core.breaker.state).toBe("closed");
  });

  it("does not count the core's answers about the request (404) against it", async () => {
    const core = adapter(server, { readRetries: 0, breaker: { failureThreshold: 1, resetMs: 60_000 } });
    await failure(core.transaction("C-1001", "00000000-0000-0000-0000-000000000000"));
    expect(core.breaker.state).toBe("closed");
  });
});

describe("HttpCoreBanking authentication", () => {
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await generateTestCertificates();
  });

  it("uses OAuth2 client credentials: one token for many calls, a new one when the core rejects it", async () => {
    const server = await serve({ oauth: { clientId: "bankdesk", clientSecret: "s3cret-for-tests", tokenTtlSeconds: 300 } });
    const oauth = { tokenUrl: server.tokenUrl, clientId: "bankdesk", clientSecret: "s3cret-for-tests" };
    const core = adapter(server, { oauth });
    await Promise.all([core.accounts("C-1001"), core.cards("C-1001"), core.deposits("C-1001")]);
    expect(server.stats.tokensIssued).toBe(1);
    server.expireTokens();
    expect(await core.accounts("C-1001")).toHaveLength(3);
    expect(server.stats.tokensIssued).toBe(2);
    expect(server.stats.unauthorized).toBe(1);
    // A write whose token expired is sent once more with a new one, under the same key.
    server.expireTokens();
    const card = (await core.cards("C-1001"))[0]!;
    expect(await core.setCardStatus("C-1001", card.id, "active")).toMatchObject({ status: "active" });

    // No token, or the wrong secret: refused, and said so without the secret.
    const anonymous = await failure(adapter(server, { readRetries: 0 }).accounts("C-1001"));
    expect(anonymous).toMatchObject({ failure: "rejected", upstreamStatus: 401 });
    const wrong = await failure(adapter(server, { oauth: { ...oauth, clientSecret: "wrong-secret" } }).accounts("C-1001"));
    expect(wrong.failure).toBe("rejected");
    expect(wrong.message).not.toContain("wrong-secret");
  });

  it("renews a token before it expires", async () => {
    const server = await serve({ oauth: { clientId: "bankdesk", clientSecret: "s3cret-for-tests", tokenTtlSeconds: 1 } });
    const core = adapter(server, { oauth: { tokenUrl: server.tokenUrl, clientId: "bankdesk", clientSecret: "s3cret-for-tests" } });
    await core.accounts("C-1001");
    // Past 90% of its lifetime the token is replaced before use, not after the core refuses it.
    await new Promise((r) => setTimeout(r, 950));
    await core.accounts("C-1001");
    expect(server.stats.tokensIssued).toBe(2);
    expect(server.stats.unauthorized).toBe(0);
  });

  it("speaks mutual TLS with certificates from a test CA, and is refused without a client certificate", async () => {
    const server = await serve({ tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert } });
    expect(server.url).toMatch(/^https:/);
    const core = adapter(server, { tls: { cert: certs.client.cert, key: certs.client.key, ca: certs.ca.cert } });
    expect(await core.accounts("C-1001")).toHaveLength(3);

    const noClientCert = await failure(adapter(server, { readRetries: 0, tls: { ca: certs.ca.cert } }).accounts("C-1001"));
    expect(noClientCert.failure).toBe("unreachable");
    // Nor does it trust a server its CA did not sign.
    const other = await generateTestCertificates();
    const untrusted = await failure(
      adapter(server, { readRetries: 0, tls: { cert: certs.client.cert, key: certs.client.key, ca: other.ca.cert } }).accounts("C-1001"),
    );
    expect(untrusted.failure).toBe("unreachable");
  });
});
