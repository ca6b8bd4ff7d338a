/**
 * The console's access log in headless Chromium on a real server: an agent opens a
 * customer's conversation and profile; the admin finds both reads under that customer,
 * filters by kind, and verifies the chain; an inbox's retention is set in its editor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const ADMIN = { email: "ada.admin@bayviewbank.example", password: "admin-password-123" };
const T = 30_000;

let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let contactId = "";

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Ada Admin", role: "admin", password: ADMIN.password });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "rita@example.com",
    name: "Rita Reader",
    role: "admin",
    password: "reader-password-123",
  });
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Looked At') RETURNING id")).rows[0]!.id;
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const conv = (
    await app.db.query<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id", [
      inbox,
      contactId,
    ])
  ).rows[0]!.id;
  const reader = await signInAgent(app, "rita@example.com", "reader-password-123");
  for (const p of [`/conversations/${conv}`, `/contacts/${contactId}`]) {
    expect((await fetch(`${app.url}/api/v1${p}`, { headers: { cookie: reader.cookie } })).status).toBe(200);
  }
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("console access log", () => {
  it(
    "finds who read a customer, by kind, and verifies the chain",
    async () => {
      await signInConsole(page, app.url, ADMIN);
      await page.goto(`${app.url}/console/admin/access-log`);
      await page.locator(".access-table").waitFor();
      await page.locator("input[name=contactId]").fill(contactId);
      await page.locator("input[name=contactId]").dispatchEvent("change");
      await expect.poll(() => page.locator(".access-table tbody tr").count()).toBe(2);
      expect(await page.locator(".access-table tbody").innerText()).toContain("Rita Reader");
      await page.locator("select[name=subjectType]").selectOption("contact");
      await expect.poll(() => page.locator(".access-table tbody tr").count()).toBe(1);
      await expect.poll(() => page.locator(".access-table tr[data-subject=contact]").count()).toBe(1);
      await page.click("text=Verify the chain");
      await page.locator(".access-chain .pill-green").waitFor();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-access-log.png") });
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );

  it(
    "sets an inbox's retention in the inbox editor",
    async () => {
      const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
      await page.goto(`${app.url}/console/admin/inboxes/${inbox}`);
      await page.locator("input[name=days]").fill("90");
      await page.locator("select[name=action]").selectOption("anonymise");
      await page.locator("[data-action=save-inbox]").click();
      await expect
        .poll(async () => (await app.db.query("SELECT retention_days, retention_action FROM inboxes WHERE id = $1", [inbox])).rows[0])
        .toEqual({ retention_days: 90, retention_action: "anonymise" });
      await page.locator("input[name=days]").waitFor();
      await page.locator("input[name=days]").scrollIntoViewIfNeeded();
      expect(await page.locator("input[name=days]").inputValue()).toBe("90");
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-inbox-retention.png") });
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );
});
