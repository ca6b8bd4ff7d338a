/**
 * BankDesk on a core system over HTTP, in a real browser (issue #16, "Done when"): the
 * reference server (the contract over the demo bank's data, with mutual TLS and OAuth2
 * client credentials as `npm run core-banking:reference -- --oauth --tls-dir` serves it)
 * stands in for the bank's core. The demo customer's widget shows the core's balance and
 * freezes a card in the core after the step-up code and a yes; the agent console's
 * customer panel shows the core's accounts and cards. Then the server is stopped in the
 * middle of the conversation: the customer is told our systems are busy and handed to a
 * person, at once, and the console says the core is not answering. (The CLI against the
 * core is in tests/integration/coreBankingHttp.test.ts.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole, watchPage } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import type { PGliteDatabase } from "../../server/db/pglite.ts";
import { openDemoBank } from "../../server/banking/referenceServer/demoBank.ts";
import { startReferenceServer, type ReferenceServer } from "../../server/banking/referenceServer/referenceServer.ts";
import { generateTestCertificates } from "../../server/banking/referenceServer/testCertificates.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const ADMIN = { email: "core.admin@bayviewbank.example", password: "core-admin-password-77" };
const CLIENT = { clientId: "bankdesk", clientSecret: "browser-test-secret" };
const T = 120_000;

let bank: { db: PGliteDatabase };
let core: ReferenceServer;
let app: TestApp;
let browser: Browser;
let tlsDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const demo = await openDemoBank();
  bank = demo;
  // Figures only the bank's core has: what the browser shows of them came over HTTP.
  await demo.db.query("UPDATE demo_accounts SET balance_cents = 123456 WHERE customer_id = 'C-1001' AND kind = 'current'");
  const certs = await generateTestCertificates(1);
  tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-core-tls-"));
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(tlsDir, name), text, { mode: 0o600 });
    return path.join(tlsDir, name);
  };
  core = await startReferenceServer({
    core: demo.core,
    oauth: CLIENT,
    tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert },
  });
  app = await startTestApp({
    env: {
      CORE_BANKING_URL: core.url,
      CORE_BANKING_TOKEN_URL: core.tokenUrl,
      CORE_BANKING_CLIENT_ID: CLIENT.clientId,
      CORE_BANKING_CLIENT_SECRET: CLIENT.clientSecret,
      CORE_BANKING_TLS_CA: file("ca.crt", certs.ca.cert),
      CORE_BANKING_TLS_CERT: file("client.crt", certs.client.cert),
      CORE_BANKING_TLS_KEY: file("client.key", certs.client.key),
    },
  });
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Core Admin", role: "admin", password: ADMIN.password });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
  await core?.close();
  await bank?.db.close();
  if (tlsDir) fs.rmSync(tlsDir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: "en-GB" });
  contexts.push(context);
  return context.newPage();
}

const w = (page: Page, selector: string): Locator => page.locator("#bankdesk-widget").locator(selector);
const botSays = (page: Page, text: string | RegExp, timeout?: number) =>
  w(page, ".bd-row--bot .bd-bubble").filter({ hasText: text }).last().waitFor({ timeout });

async function send(page: Page, text: string) {
  await w(page, "textarea.bd-input").fill(text);
  await w(page, "textarea.bd-input").press("Enter");
}

const coreCard = async (kind: "debit" | "credit") =>
  (await bank.db.query<{ status: string }>("SELECT status FROM demo_cards WHERE customer_id = 'C-1001' AND kind = $1", [kind])).rows[0]!
    .status;

describe("the widget and the console on the bank's core over HTTP (mutual TLS + OAuth2)", () => {
  it(
    "shows the core's figures, freezes a card in the core, and when the core goes away mid-conversation says so and hands off",
    async () => {
      const page = await newPage();
      const watch = watchPage(page);
      await page.goto(`${app.url}/`);
      await w(page, ".bd-launcher").waitFor({ state: "visible" });
      await page.click("#demo-signin");
      await page.locator("#demo-status", { hasText: "Signed in as Wang Fang" }).waitFor();
      await w(page, '.bd-root[data-connected="true"]').waitFor({ state: "attached" });

      // A read: the balance the core has, not BankDesk's own demo tables'.
      const readsBefore = core.stats.requests.accounts ?? 0;
      await send(page, "what's my balance?");
      await botSays(page, "¥1,234.56");
      expect(core.stats.requests.accounts).toBeGreaterThan(readsBefore);

      // A write: the demo inbox asks a one-time code for changes; it goes to the phone the core has on file.
      await send(page, "please freeze my debit card");
      await botSays(page, /I've sent a 6-digit code to •••• 8001/);
      const text = page.locator("#demo-phone-texts li p").first();
      await text.waitFor();
      const code = /\b(\d{6})\b/.exec((await text.textContent())!)![1]!;
      await w(page, ".bd-stepup input").fill(code);
      await w(page, ".bd-stepup button[type=submit]").click();
      await botSays(page, /Do you want me to freeze your card ending 5678\?/);
      await send(page, "yes");
      await botSays(page, /Done — your card ending 5678 is now frozen/);
      expect(await coreCard("debit")).toBe("frozen");
      // The change went to the core: BankDesk's own demo tables were not touched.
      expect((await app.db.query("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1001' AND status = 'frozen'")).rowCount).toBe(0);

      // The agent console's customer panel: the core's accounts and cards.
      const { rows } = await app.db.query<{ id: string }>(
        `SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE k.external_id = 'C-1001' ORDER BY c.created_at DESC LIMIT 1`,
      );
      const conversationId = rows[0]!.id;
      const agent = await newPage();
      const agentWatch = watchPage(agent);
      await signInConsole(agent, app.url, ADMIN);
      await agent.goto(`${app.url}/console/all/${conversationId}`);
      const accounts = agent.locator('[data-section="banking"]');
      await accounts.locator('.banking-accounts li[data-account="5678"] .num', { hasText: "¥1,234.56" }).waitFor({ timeout: 15_000 });
      await accounts.locator('.banking-cards li[data-card="5678"][data-status="frozen"]', { hasText: "Frozen" }).waitFor();
      await accounts.locator('.banking-cards li[data-card="4321"][data-status="active"]').waitFor();
      expect(await accounts.locator(".banking-transactions li").count()).toBeGreaterThan(0);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await agent.screenshot({ path: path.join(ARTIFACTS, "core-http-console-accounts.png") });

      // The core goes away in the middle of the conversation.
      await core.close();
      const asked = Date.now();
      await send(page, "show me my recent transactions");
      await botSays(page, /Our systems are busy right now/, 15_000);
      // Told at once (a refused connection is not waited for), and handed to a person.
      expect(Date.now() - asked).toBeLessThan(10_000);
      await w(page, ".bd-activity")
        .filter({ hasText: /Connecting you to a customer service agent|passed to our customer service team/ })
        .waitFor();
      const shown = (await w(page, ".bd-messages, .bd-panel").first().textContent()) ?? "";
      expect(shown).not.toMatch(/ECONNREFUSED|Error:|at \S+ \(|undefined|stack/i);
      expect(watch.errors).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "core-http-gone-widget.png") });
      const c = await app.db.query<{ status: string; handoff_reason: string }>(
        "SELECT status, handoff_reason FROM conversations WHERE id = $1",
        [conversationId],
      );
      expect(c.rows[0]).toEqual({ status: "open", handoff_reason: "core_banking_unavailable" });

      // The agent who picks it up still has the customer, and is told why the accounts are missing.
      await accounts.locator("[data-action=refresh-banking]").click();
      await accounts.locator(".callout", { hasText: "The bank's core system isn't answering" }).waitFor({ timeout: 15_000 });
      expect(await accounts.locator(".banking-accounts").count()).toBe(0);
      await agent.locator(".profile-name").first().waitFor();
      await agent.screenshot({ path: path.join(ARTIFACTS, "core-http-gone-console.png") });
      expect(agentWatch.errors).toEqual([]);
    },
    T,
  );
});
