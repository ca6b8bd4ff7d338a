import { createRequire } from "node:module";

type Undici = typeof import("undici");
let undici: Undici | undefined;

/**
 * undici (HTTP to the destinations BankDesk is configured with: webhooks, custom tools,
 * the bank's core system), loaded with the first request rather than at start: a process
 * that makes none (a web process of the demo) does not carry it, ~5 MB of heap and ~17 MB
 * of RSS here with its HTTP parser (tests/architecture/startupImports.test.ts). Required
 * synchronously, so that the clients built on it need not be made asynchronously.
 */
export function loadUndici(): Undici {
  return (undici ??= createRequire(import.meta.url)("undici") as Undici);
}
