import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import type { PGliteDatabase } from "../db/pglite.ts";
import { openDemoBank } from "./referenceServer/demoBank.ts";
import { startReferenceServer, type ReferenceServer } from "./referenceServer/referenceServer.ts";
import * as wire from "./http/wire.ts";

/**
 * The contract document, the adapter's schemas and the reference server say the same
 * thing: a path in the document that the server does not serve, or a field the
 * adapter expects that the document does not require, fails here.
 */
const DOC = path.resolve(import.meta.dirname, "../../docs/core-banking.openapi.yaml");
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string }> }>>;
  components: { schemas: Record<string, { required?: string[]; allOf?: Array<{ required?: string[]; $ref?: string }> }> };
};
const doc = parse(fs.readFileSync(DOC, "utf8")) as Doc;

let bank: { db: PGliteDatabase };
let server: ReferenceServer;
beforeAll(async () => {
  const demo = await openDemoBank();
  bank = demo;
  server = await startReferenceServer({ core: demo.core });
});
afterAll(async () => {
  await server?.close();
  await bank?.db.close();
});

const keys = (s: z.ZodObject) => Object.keys(s.shape).sort();
const required = (name: string): string[] => {
  const s = doc.components.schemas[name]!;
  const own = s.required ?? [];
  const inherited = (s.allOf ?? []).flatMap((p) => (p.$ref ? required(p.$ref.split("/").pop()!) : (p.required ?? [])));
  return [...own, ...inherited].sort();
};

describe("docs/core-banking.openapi.yaml", () => {
  it("is OpenAPI 3.1 and requires exactly the fields the adapter reads", () => {
    expect(doc.openapi).toBe("3.1.0");
    const pairs: Array<[string, z.ZodObject]> = [
      ["Account", wire.accountSchema],
      ["Card", wire.cardSchema],
      ["CardReplacement", wire.cardReplacementSchema],
      ["Transaction", wire.transactionSchema],
      ["TransactionDetail", wire.transactionDetailSchema],
      ["Deposit", wire.depositSchema],
      ["Instalment", wire.instalmentSchema],
      ["ContactDetails", wire.contactDetailsSchema],
    ];
    for (const [name, schema] of pairs) expect(required(name), name).toEqual(keys(schema));
  });

  it("has every operation served by the reference server, and writes need an Idempotency-Key", async () => {
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ p, m, op })));
    expect(ops).toHaveLength(11);
    for (const { p, m, op } of ops) {
      // Ids no customer has: each operation answers "not found" for them, not "no such operation".
      const url = server.url + p.replace("{customerId}", "C-NOBODY").replace(/\{\w+\}/g, "00000000-0000-0000-0000-000000000000");
      const write = m === "post";
      if (write)
        expect(
          op.parameters?.some((x) => x.$ref?.endsWith("/IdempotencyKey")),
          `${m} ${p}`,
        ).toBe(true);
      const res = await fetch(url, {
        method: m.toUpperCase(),
        headers: write ? { "content-type": "application/json", "idempotency-key": crypto.randomUUID() } : {},
        body: write
          ? JSON.stringify(p.endsWith("report-lost") ? { reason: "lost", orderReplacement: true } : { fromAccountId: "x" })
          : undefined,
      });
      const body = (await res.json()) as { title?: string };
      expect(body.title, `${m} ${p}`).not.toBe("No such operation");
      if (res.status >= 400) expect(res.headers.get("content-type"), `${m} ${p}`).toMatch(/^application\/problem\+json/);
    }
    const unknown = await fetch(`${server.url}/customers/C-1001/loans`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { title: string }).title).toBe("No such operation");
  });

  it("holds the reference server to the Idempotency-Key rules: required, one run at a time, one request per key", async () => {
    const cards = (await (await fetch(`${server.url}/customers/C-1001/cards`)).json()) as { cards: Array<{ id: string }> };
    const url = `${server.url}/customers/C-1001/cards/${cards.cards[0]!.id}/freeze`;
    const post = (key?: string, body: unknown = {}) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
        body: JSON.stringify(body),
      });
    const missing = await post();
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe("idempotency-key-required");

    const key = crypto.randomUUID();
    server.inject({ kind: "delay", ms: 300 }, { match: /freeze$/ });
    const [first, second] = await Promise.all([post(key), new Promise((r) => setTimeout(r, 50)).then(() => post(key))]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    const replay = await post(key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(await first.json());
    expect((await post(key, { other: true })).status).toBe(422);

    // A client that times out and retries while the write is still running: one write, and
    // the retry after it finished gets its answer.
    const slowKey = crypto.randomUUID();
    const writes = server.stats.writes;
    server.inject({ kind: "delay", ms: 300 }, { match: /freeze$/ });
    const gaveUp = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": slowKey },
      body: "{}",
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect(gaveUp).toBeInstanceOf(Error);
    expect((await post(slowKey)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 400));
    const late = await post(slowKey);
    expect(late.status).toBe(200);
    expect(late.headers.get("idempotent-replayed")).toBe("true");
    expect(server.stats.writes).toBe(writes + 1);
    await post(crypto.randomUUID()).then(() =>
      fetch(url.replace(/freeze$/, "unfreeze"), { method: "POST", headers: { "idempotency-key": crypto.randomUUID() } }),
    );
  });
});
