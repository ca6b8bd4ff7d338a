/**
 * Legal holds and privacy requests in the console (issue #13), in headless Chromium on
 * a real server: the admin finds a customer, places a legal hold, sees erasure refused
 * under it, releases it, downloads the customer's data, and erases them after typing
 * their e-mail; a conversation is held by its id; the organisation's complaint case
 * retention period is set (never under a year). The audit log has each step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { downloadedBytes, launchChromium, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const ADMIN = { email: "ada.admin@bayviewbank.example", password: "admin-password-123" };
const T = 30_000;
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let contactId = "";
let conversationId = "";

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Ada Admin", role: "admin", password: ADMIN.password });
  contactId = (
    await app.db.query<{ id: string }>(
      "INSERT INTO contacts (name, email) VALUES ('Priya Private', 'priya.private@example.com') RETURNING id",
    )
  ).rows[0]!.id;
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  conversationId = (
    await app.db.query<{ id: string }>(
      "INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'resolved') RETURNING id",
      [inbox, contactId],
    )
  ).rows[0]!.id;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
  watch = watchPage(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const audited = async (action: string) =>
  (await app.db.query("SELECT 1 FROM audit_log WHERE action = $1 AND target_id = $2", [action, contactId])).rowCount;

async function findPriya() {
  await page.fill("input[name=q]", "priya.private");
  await page.locator(`[data-contact-id='${contactId}']`).waitFor();
}

describe("legal holds and privacy requests in the console", () => {
  it(
    "places and releases a hold, exports, and erases only after the e-mail is typed",
    async () => {
      await page.goto(`${app.url}/console`);
      await page.locator("#email").waitFor();
      await page.fill("#email", ADMIN.email);
      await page.fill("#password", ADMIN.password);
      await page.click("button[type=submit]");
      await page.locator(".sidebar").waitFor();
      await page.goto(`${app.url}/console/admin/privacy`);
      await page.locator("h1:has-text('Legal holds & privacy')").waitFor();

      // A hold on the customer.
      await findPriya();
      await page.click(`[data-contact-id='${contactId}'] [data-action=hold-contact]`);
      await page.fill(".modal textarea[name=reason]", "Litigation hold, case 2026/17");
      await page.click(".modal button:has-text('Place hold')");
      await page.locator("[data-hold-id][data-active=true]").waitFor();
      expect(await page.locator("[data-hold-id][data-active=true]").textContent()).toContain("Litigation hold, case 2026/17");
      expect(await audited("legal_hold.placed")).toBe(1);

      // Erasure is refused while it holds, even with the confirmation typed.
      await findPriya();
      await page.click(`[data-contact-id='${contactId}'] [data-action=erase]`);
      await page.fill(".modal [data-role=erase-confirmation]", "priya.private@example.com");
      await page.click(".modal button:has-text('Erase')");
      await expect.poll(() => page.locator(".modal .form-error").textContent()).toContain("legal hold");
      await page.keyboard.press("Escape");
      expect((await app.db.query("SELECT email FROM contacts WHERE id = $1", [contactId])).rows[0]).toEqual({
        email: "priya.private@example.com",
      });

      // Released with a reason.
      await page.click("[data-hold-id][data-active=true] [data-action=release]");
      await page.fill(".modal textarea[name=reason]", "Case settled");
      await page.click(".modal button:has-text('Release hold')");
      await page.locator("[data-hold-id][data-active=false]").waitFor();
      expect(await audited("legal_hold.released")).toBe(1);

      // The access request: a JSON download with the customer's conversations.
      await findPriya();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(`[data-contact-id='${contactId}'] [data-action=export]`),
      ]);
      expect(download.suggestedFilename()).toBe(`privacy-export-${contactId}.json`);
      const exported = JSON.parse((await downloadedBytes(download)).toString("utf8")) as {
        contact: { email: string };
        conversations: { id: string }[];
      };
      expect(exported.contact.email).toBe("priya.private@example.com");
      expect(exported.conversations.map((c) => c.id)).toEqual([conversationId]);
      expect(await audited("privacy.exported")).toBe(1);

      // Erasure: a wrong confirmation does nothing; the e-mail typed exactly erases.
      await page.click(`[data-contact-id='${contactId}'] [data-action=erase]`);
      await page.fill(".modal [data-role=erase-confirmation]", "priya");
      await page.click(".modal button:has-text('Erase')");
      await expect.poll(() => page.locator(".modal .form-error").textContent()).toContain("exactly");
      expect(await audited("privacy.erased")).toBe(0);
      await page.fill(".modal [data-role=erase-confirmation]", "priya.private@example.com");
      await page.click(".modal button:has-text('Erase')");
      await expect.poll(() => audited("privacy.erased")).toBe(1);
      expect((await app.db.query("SELECT 1 FROM conversations WHERE id = $1", [conversationId])).rowCount).toBe(0);
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );

  it(
    "holds a conversation by its id",
    async () => {
      const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
      const other = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Held Over') RETURNING id")).rows[0]!.id;
      const conv = (
        await app.db.query<{ id: string }>(
          "INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id",
          [inbox, other],
        )
      ).rows[0]!.id;
      await page.goto(`${app.url}/console/admin/privacy`);
      await page.fill("input[name=conversationId]", conv);
      await page.click("[data-action=hold-conversation]");
      await page.fill(".modal textarea[name=reason]", "Regulator's inquiry");
      await page.click(".modal button:has-text('Place hold')");
      await expect.poll(() => page.locator("[data-hold-id][data-active=true]").count()).toBe(1);
      expect(await page.locator("[data-hold-id][data-active=true]").textContent()).toContain(conv);
      const { rows } = await app.db.query("SELECT reason FROM legal_holds WHERE conversation_id = $1 AND released_at IS NULL", [conv]);
      expect(rows).toEqual([{ reason: "Regulator's inquiry" }]);
    },
    T * 2,
  );

  it(
    "sets how long closed complaint cases are kept, refusing less than a year",
    async () => {
      await page.goto(`${app.url}/console/admin/privacy`);
      const days = page.locator("input[name=caseRetentionDays]");
      await days.waitFor();
      expect(await days.inputValue()).toBe("");
      await days.fill("30");
      await page.click("[data-action=save-case-retention]");
      await page.locator(".toast", { hasText: "365" }).waitFor();
      const setting = async () => (await app.db.query("SELECT case_retention_days AS days FROM organisation_settings")).rows[0];
      expect(await setting()).toEqual({ days: null });
      await days.fill("1825");
      await page.click("[data-action=save-case-retention]");
      await page.locator(".toast", { hasText: "kept 1825 days" }).waitFor();
      expect(await setting()).toEqual({ days: 1825 });
      expect((await app.db.query("SELECT 1 FROM audit_log WHERE action = 'organisation.updated'")).rowCount).toBe(1);
      // Shown as saved after a reload.
      await page.reload();
      await page.locator("input[name=caseRetentionDays]").waitFor();
      expect(await page.locator("input[name=caseRetentionDays]").inputValue()).toBe("1825");
    },
    T * 2,
  );
});
