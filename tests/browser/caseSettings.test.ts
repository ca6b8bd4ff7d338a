/**
 * Complaint rules and dispute cases in the console (issue #17), in real Chromium on a
 * real server: an admin sets the website inbox to UK rules in Admin → Inboxes (a
 * custom policy's mistake shows next to its field first) and a case received in that
 * inbox afterwards shows the UK clock; an e-mail inbox gets its complaints address; a
 * dispute the assistant opened shows its transaction on the case page and a marker in
 * the list.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { createInbox } from "../../server/commands/createInbox.ts";
import { SYSTEM } from "../../server/actor.ts";
import { findInbox } from "../../server/conversations/queries.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { openDisputeCase } from "../../server/cases/openDisputeCase.ts";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const T = 60_000;
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts");
const ADMIN = { email: "grace@bayviewbank.example", password: "correct-horse-battery" };
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let adminId = "";
let websiteId = "";
let contactId = "";

beforeAll(async () => {
  app = await startTestApp();
  const teams = (await app.db.query<{ id: string }>("SELECT id FROM teams")).rows.map((r) => r.id);
  adminId = (await createAgent(app.ctx, { actor: SYSTEM, ...ADMIN, name: "Grace Supervisor", role: "admin", teamIds: teams })).id;
  await createInbox(app.ctx, { actor: SYSTEM, slug: "mail", name: "Customer mail", channel: "email", settings: { botEnabled: false } });
  websiteId = (await findInbox(app.db, "website"))!.id;
  contactId = (await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1002'")).rows[0]!.id;
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 }, locale: "en-US" }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const storedComplaints = async (slug: string) =>
  (await app.db.query<{ settings: Json }>("SELECT settings FROM inboxes WHERE slug = $1", [slug])).rows[0]!.settings.complaints;

/** A screenshot of an element for people reviewing the change (tests/artifacts, not committed). */
async function shot(selector: string, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
  await page.locator(selector).screenshot({ path: path.join(ARTIFACTS, name) });
}

async function openInboxEditor(slug: string) {
  await page.click("[data-nav=admin]");
  await page.click(".admin-nav-item[data-section=inboxes]");
  await page.locator(`tr[data-slug=${slug}] .row-link`).click();
  await page.locator(".inbox-form").waitFor();
}

/** Opens a case from the console's list of all open cases (drawn afresh: the page is loaded at that URL). */
async function openCasePage(caseId: string, reference: string) {
  await page.goto(`${app.url}/console/cases/all/${caseId}`);
  await page.locator(".case-ref", { hasText: reference }).waitFor();
}

describe("complaint rules and disputes in the console", () => {
  let ukReference = "";

  it(
    "an admin sets an inbox to UK rules (a custom policy's mistake shows next to its field); a new case there runs the UK clock",
    async () => {
      await signInConsole(page, app.url, ADMIN);
      await openInboxEditor("website");
      const jurisdiction = page.locator("select[name=complaints-jurisdiction]");
      expect(await jurisdiction.inputValue()).toBe("cn");
      // The mainland regulator since 2023 (国家金融监督管理总局), not the CBIRC it replaced.
      expect(await jurisdiction.locator("option[value=cn]").textContent()).toBe("Mainland China (NFRA)");
      expect(await page.locator(".complaints-custom").isHidden()).toBe(true);
      // A web inbox receives no mail: no complaints address to set.
      expect(await page.locator("input[name=complaints-address]").count()).toBe(0);

      await jurisdiction.selectOption("custom");
      await page.locator(".complaints-custom").waitFor();
      await page.fill("input[name=complaints-finalResponse-days]", "0");
      await page.click("[data-action=save-inbox]");
      const finalError = page.locator('[data-field="settings.complaints.custom.finalResponse"] > .af-error');
      await finalError.waitFor();
      expect(await finalError.textContent()).toBe("At least 1 day");
      await page.click("[data-action=add-extension]");
      await shot(".admin-panel:has(.complaints-settings)", "admin-inbox-complaints.png");
      expect(await storedComplaints("website")).toBeUndefined();

      await jurisdiction.selectOption("uk");
      expect(await page.locator("[data-complaints-rules]").textContent()).toContain("8 weeks");
      await page.click("[data-action=save-inbox]");
      await page.locator(".toast", { hasText: "saved" }).waitFor();
      expect(await storedComplaints("website")).toEqual({ jurisdiction: "uk" });
      const audit = await app.db.query<{ actor_id: string; data: Json }>(
        "SELECT actor_id, data FROM audit_log WHERE action = 'inbox.update' AND target_id = $1 ORDER BY id DESC LIMIT 1",
        [websiteId],
      );
      expect(audit.rows[0]).toMatchObject({
        actor_id: adminId,
        data: { changes: { "settings.complaints": { from: null, to: { jurisdiction: "uk" } } } },
      });
      // The editor is drawn again from the saved inbox.
      await page.locator("select[name=complaints-jurisdiction]").waitFor();
      expect(await page.locator("select[name=complaints-jurisdiction]").inputValue()).toBe("uk");

      const conv = await createConversation(app.ctx, { inboxId: websiteId, contactId, status: "open" });
      const { case: c } = await openCase(app.ctx, {
        actor: SYSTEM,
        conversationId: conv.id,
        summary: "Overdraft fee charged although the account was in credit",
        source: "agent",
        language: "en",
      });
      ukReference = c.reference;
      await openCasePage(c.id, c.reference);
      expect(await page.locator("dd[data-jurisdiction]").textContent()).toBe("United Kingdom");
      expect(await page.locator("dd[data-jurisdiction]").getAttribute("data-jurisdiction")).toBe("uk");
      expect(await page.locator(".case-due").textContent()).toContain("56 calendar days");
      expect(await page.locator(".case-head").textContent()).toContain("FCA DISP 1.6.2R");
      expect(await page.locator(".case-dispute").count()).toBe(0);
      // Not a dispute: listed without the marker (waited for: the list is drawn again on live case events).
      await page.locator(`.case-item[data-reference="${c.reference}"]:not(:has(.case-kind))`).waitFor();
    },
    T,
  );

  it(
    "sets an e-mail inbox's complaints address, refusing one that is not an address",
    async () => {
      await openInboxEditor("mail");
      const address = page.locator("input[name=complaints-address]");
      await address.fill("complaints at bank");
      await page.click("[data-action=save-inbox]");
      const error = page.locator('[data-field="settings.complaints.address"] > .af-error');
      await error.waitFor();
      expect(await error.textContent()).toBe("An e-mail address such as complaints@bank.example");
      await address.fill("complaints@bank.example");
      await page.click("[data-action=save-inbox]");
      await page.locator(".toast", { hasText: "Customer mail saved" }).waitFor();
      expect(await storedComplaints("mail")).toEqual({ jurisdiction: "cn", address: "complaints@bank.example" });
    },
    T,
  );

  it(
    "shows a dispute's transaction in its own section, and marks the dispute in the list",
    async () => {
      const conv = await createConversation(app.ctx, { inboxId: websiteId, contactId, status: "open" });
      const opened = await openDisputeCase(app.ctx, {
        conversationId: conv.id,
        language: "en",
        requestKey: "browser-dispute",
        transaction: {
          transactionId: "T-2026-1120-0042",
          amount: 3280,
          currency: "CNY",
          merchant: "LUCKY MART SHENZHEN",
          date: "2026-11-20",
          accountName: "Platinum Credit Card",
          cardKind: "credit",
        },
      });
      const { id } = (await app.db.query<{ id: string }>("SELECT id FROM cases WHERE reference = $1", [opened.reference])).rows[0]!;
      await openCasePage(id, opened.reference);
      const section = page.locator(".case-section", { has: page.locator(".case-dispute") });
      expect(await section.locator("h3").textContent()).toBe("Disputed transaction");
      const shown = async (f: string) => (await section.locator(`[data-dispute-field=${f}]`).textContent())?.replace(/\s/g, " ");
      expect(await shown("amount")).toBe("CNY 3,280.00");
      expect(await shown("merchant")).toBe("LUCKY MART SHENZHEN");
      expect(await shown("date")).toBe("2026-11-20");
      expect(await shown("account")).toBe("Platinum Credit Card");
      expect(await shown("transactionId")).toBe("T-2026-1120-0042");
      await shot(".cases", "case-dispute.png");
      // The dispute opened under the inbox's UK rules, like any complaint there.
      expect(await page.locator("dd[data-jurisdiction]").getAttribute("data-jurisdiction")).toBe("uk");

      const marker = page.locator(`.case-item[data-reference="${opened.reference}"] [data-case-kind=dispute]`);
      expect(await marker.textContent()).toBe("Dispute");
      await page.locator(`.case-item[data-reference="${ukReference}"]:not(:has(.case-kind))`).waitFor();
      expect(watch.dialogs).toBe(0);
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
