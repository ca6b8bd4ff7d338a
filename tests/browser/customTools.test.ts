/**
 * The bank's own tools end to end in headless Chromium (issue #16 §2, "done when"): an
 * admin defines a card-delivery tool in the console, tries it with sample input, and a
 * signed-in customer on the demo site gets their answer through it — against a real
 * HTTP server on a free port standing in for the bank's delivery tracker.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole, watchPage } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const ADMIN = { email: "tool.admin@bayviewbank.example", password: "admin-password-123" };
const TOKEN = "delivery-token-51Xw";
const T = 60_000;

let app: TestApp;
let browser: Browser;
let bank: http.Server;
let bankUrl = "";
const paths: string[] = [];

beforeAll(async () => {
  bank = http.createServer((req, res) => {
    paths.push(req.url ?? "");
    const m = /^\/customers\/([^/]+)\/card-deliveries\/([^/?]+)$/.exec(req.url ?? "");
    if (!m || req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(404).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "out for delivery", eta: "2026-12-09" }));
  });
  await new Promise<void>((r) => bank.listen(0, "127.0.0.1", () => r()));
  bankUrl = `http://127.0.0.1:${(bank.address() as AddressInfo).port}`;
  app = await startTestApp({ env: { CUSTOM_TOOL_HOSTS: "127.0.0.1" } });
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Tool Admin", role: "admin", password: ADMIN.password });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((r) => (bank ? bank.close(() => r()) : r()));
});

const w = (page: Page, selector: string): Locator => page.locator("#bankdesk-widget").locator(selector);

describe("the bank's own tools in the console and the widget", () => {
  it(
    "an admin creates a tool, tries it, and the bot answers a customer with it",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: "en-GB" });
      const page = await context.newPage();
      const watch = watchPage(page);
      await signInConsole(page, app.url, ADMIN);
      await page.goto(`${app.url}/console/admin/tools`);
      await page.locator("[data-action=new-tool]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("track_card_delivery");
      await modal.locator("textarea[name=description]").fill("Where the customer's new card is in the post.");
      await modal.locator("input[name='label.en']").fill("track your card delivery");
      await modal.locator("input[name='label.zh']").fill("查询卡片寄送进度");
      await modal.locator("input[name=url]").fill("https://example.com/customers/{customerId}/card-deliveries/{trackingNumber}");
      await modal.locator("select[name='auth.kind']").selectOption("bearer");
      await modal.locator("input[name=secret]").fill(TOKEN);
      await modal.locator("textarea[name='responseTemplate.en']").fill("Your card is {{status}}; expected {{eta}}.");
      await modal.locator("textarea[name='responseTemplate.zh']").fill("您的卡片{{status}}，预计 {{eta}} 送达。");
      await modal.locator("input[name='triggers.keywords']").fill("card delivery, 卡片寄送");
      await modal.locator("button[type=submit]").click();
      // A host not on CUSTOM_TOOL_HOSTS is refused next to the URL field.
      await modal.locator("[data-field=url] .af-error", { hasText: "example.com is not an allowed host" }).waitFor();
      await modal.locator("input[name=url]").fill(`${bankUrl}/customers/{customerId}/card-deliveries/{trackingNumber}`);
      await modal.locator("button[type=submit]").click();
      await page.locator("tr", { hasText: "track_card_delivery" }).waitFor();
      expect(await page.locator("tr", { hasText: "track_card_delivery" }).textContent()).toContain("v1");

      await page.locator("[data-action=try-tool]").click();
      const trial = page.locator(".modal");
      await trial.locator("textarea[name=params]").fill('{"trackingNumber": "SF12345678"}');
      await trial.locator("input[name=customerId]").fill("C-1001");
      await trial.locator("[data-action=run-trial]").click();
      await trial.locator(".trial-reply", { hasText: "Your card is out for delivery; expected 2026-12-09." }).waitFor();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "custom-tool-try.png") });
      expect(paths).toEqual(["/customers/C-1001/card-deliveries/SF12345678"]);
      expect(watch.errors).toEqual([]);

      // The customer, signed in on the demo site, asks in the widget.
      const site = await context.newPage();
      await site.goto(`${app.url}/`);
      await w(site, ".bd-launcher").waitFor({ state: "visible" });
      await site.click("#demo-signin");
      await site.locator("#demo-status", { hasText: "Signed in as Wang Fang" }).waitFor();
      await w(site, '.bd-root[data-connected="true"]').waitFor({ state: "attached" });
      await w(site, "textarea.bd-input").fill("Where is my card delivery? SF87654321");
      await w(site, "textarea.bd-input").press("Enter");
      await w(site, ".bd-row--bot .bd-bubble").filter({ hasText: "Your card is out for delivery; expected 2026-12-09." }).waitFor();
      expect(paths.at(-1)).toBe("/customers/C-1001/card-deliveries/SF87654321");
      await context.close();
    },
    T,
  );
});
