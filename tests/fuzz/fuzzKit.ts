/**
 * Shared pieces of the fuzz tests (tests/fuzz): fixed seeds, hostile value
 * generators, and the properties every public endpoint must keep on bad input —
 * a 4xx with `{error:{code,message}}`, the process still serving /healthz, and the
 * stored rows unchanged.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Database } from "../../server/db/Database.ts";

/** One seed for the whole folder, so a failure reproduces (override with FUZZ_SEED; runs with FUZZ_RUNS). */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
export const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
export const fcOptions = (numRuns = RUNS) => ({ seed: SEED, numRuns, endOnFailure: true });

/** A distinct client address per request: the fuzzers must not be stopped by the per-IP rate limits. */
let ipCounter = 0;
export function clientIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Strings meant to break things: control characters (NUL!), lone surrogates, markup, SQL, huge numbers. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\uD800",
    "\uDFFFx",
    "\u202Eevil",
    "<script>alert(1)</script>",
    "'; DROP TABLE messages; --",
    "${7*7}{{7*7}}",
    "../../../../etc/passwd",
    "%00",
    "__proto__",
    "constructor",
    "NaN",
    "1e309",
    "-0",
    "9007199254740993",
    "",
    " ",
    "\r\n\r\n",
    "零存整取",
    "😀".repeat(50),
  ),
);

/** Any JSON-ish value, hostile strings included, with prototype-pollution keys sometimes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "prototype")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** An object whose known fields get wrong or hostile values, sometimes with extra fields. */
export function mangled(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const withHostile = Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, fc.oneof(a, hostileValue)]));
  return fc
    .tuple(fc.record(withHostile, { requiredKeys: [] }), fc.dictionary(hostileString, hostileValue, { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** Percent-encodes any string; lone surrogates become an invalid UTF-8 sequence (%ED%A0%80), hostile on purpose. */
export function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, "")) + "%ED%A0%80";
  }
}

export interface RowCounts {
  messages: number;
  contacts: number;
  conversations: number;
}

export async function rowCounts(db: Database): Promise<RowCounts> {
  const { rows } = await db.query<RowCounts>(
    `SELECT (SELECT count(*)::int FROM messages WHERE message_type = 'incoming') AS messages,
            (SELECT count(*)::int FROM contacts) AS contacts,
            (SELECT count(*)::int FROM conversations) AS conversations`,
  );
  return rows[0]!;
}

/** The answer to bad input: a 4xx (never 5xx) with `{error:{code,message}}`. */
export async function expectClientError(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status < 400 || res.status >= 500) throw new Error(`${what}: expected a 4xx, got ${res.status} ${text.slice(0, 300)}`);
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${what}: ${res.status} without a JSON body: ${text.slice(0, 200)}`);
  }
  expect(typeof body.error?.code, `${what}: error.code`).toBe("string");
  expect(typeof body.error?.message, `${what}: error.message`).toBe("string");
  return body as Record<string, unknown>;
}

/** Never a 5xx; when it is a 4xx, it has the error shape. Returns the status and parsed body. */
export async function expectNo5xx(res: Response, what: string): Promise<{ status: number; body: unknown }> {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  if (res.status >= 400) return { status: res.status, body: await expectClientError(res, what) };
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (TwiML, "success"...)
  }
  return { status: res.status, body };
}

export async function expectHealthy(url: string) {
  const res = await fetch(`${url}/healthz`);
  expect(res.status).toBe(200);
}
