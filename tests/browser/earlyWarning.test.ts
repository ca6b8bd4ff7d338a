/**
 * Early warning and NPS in a real browser (issue #17 §4): an admin adds a threshold on
 * SLA breaches in one inbox in Settings; when the check finds it crossed, a breach alert appears
 * live in the console's banner, with a link to the conversations behind it, and from
 * there to each conversation. The Reports view shows the NPS panel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { recordNps } from "../../server/nps/recordNps.ts";
import { SYSTEM } from "../../server/actor.ts";
import { checkEarlyWarnings } from "../../server/earlyWarning/checkEarlyWarnings.ts";

const T = 60_000;
const PASSWORD = "correct-horse-battery";
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let inboxId = "";
let inboxName = "";

beforeAll(async () => {
  app = await startTestApp();
  const teams = (await app.db.query<{ id: string }>("SELECT id FROM teams")).rows.map((r) => r.id);
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "grace@bayviewbank.example",
    name: "Grace Lead",
    role: "admin",
    password: PASSWORD,
    teamIds: teams,
  });
  ({ id: inboxId, name: inboxName } = (
    await app.db.query<{ id: string; name: string }>("SELECT id, name FROM inboxes WHERE slug = 'website'")
  ).rows[0]!);
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A conversation whose first-response target was breached, as the SLA check records it. */
async function breached(name: string) {
  const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
  const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  await app.db.query("INSERT INTO sla_alerts (conversation_id, metric, level, due_at) VALUES ($1, 'first_response', 'breach', now())", [
    c.id,
  ]);
  return c;
}

describe("early warning in the console", () => {
  it(
    "an admin sets a threshold; a breach alert appears live with a link to the conversations behind it",
    async () => {
      await signInConsole(page, app.url, { email: "grace@bayviewbank.example", password: PASSWORD });
      await page.goto(`${app.url}/console/admin/early-warning`);
      await page.click("[data-action=new-threshold]");
      await page.fill("input[name=name]", "SLA breaches this hour");
      await page.selectOption("select[name=metric]", "sla_breaches");
      // The website's own threshold: it counts that inbox's breaches, and its alerts name it.
      expect(await page.locator("select[name=inboxId]").inputValue()).toBe("");
      await page.selectOption("select[name=inboxId]", inboxId);
      await page.fill("input[name=threshold]", "2");
      await page.fill("input[name=windowMinutes]", "60");
      await page.click(".modal-foot button[type=submit]");
      const row = page.locator("tr", { hasText: "SLA breaches this hour" });
      await row.waitFor();
      expect(await row.locator(`[data-inbox="${inboxId}"]`).textContent()).toBe(inboxName);
      const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'early_warning_threshold.create'");
      expect(audit.rowCount).toBe(1);
      expect((await app.db.query("SELECT inbox_id FROM early_warning_thresholds")).rows).toEqual([{ inbox_id: inboxId }]);

      // One breach: under the threshold, no banner.
      const first = await breached("Lin Late");
      expect((await checkEarlyWarnings(app.ctx)).raised).toHaveLength(0);
      expect(await page.locator(".ew-banner").isHidden()).toBe(true);

      const second = await breached("Mo Waiting");
      // The worker's own minute check may get there first: the alert is raised once either way.
      await checkEarlyWarnings(app.ctx);
      const open = await app.db.query("SELECT 1 FROM early_warning_alerts WHERE recovered_at IS NULL");
      expect(open.rowCount).toBe(1);
      const banner = page.locator(".ew-banner .ew-alert");
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.textContent()).toContain("SLA breaches this hour");
      expect(await banner.textContent()).toContain("2 in 1 hour (threshold 2)");
      expect(await banner.locator(`.ew-inbox[data-inbox="${inboxId}"]`).textContent()).toBe(inboxName);

      await banner.locator("a", { hasText: "View 2 conversations" }).click();
      const links = page.locator("[data-conversation-link]");
      await links.first().waitFor();
      expect((await links.evaluateAll((as) => as.map((a) => a.getAttribute("data-conversation-link")))).sort()).toEqual(
        [first.id, second.id].sort(),
      );
      await page.locator(`[data-conversation-link="${second.id}"]`).click();
      await page.waitForURL(`**/console/all/${second.id}`);
      await page.locator(".conv-header", { hasText: "Mo Waiting" }).waitFor();

      // Marked seen: the banner goes, on this console and after a reload.
      await page.goto(`${app.url}/console/admin/early-warning`);
      await page.locator(".ew-banner button", { hasText: "Dismiss" }).click();
      await page.locator(".ew-banner").waitFor({ state: "hidden" });
      await page.reload();
      await page.locator(".sidebar").waitFor();
      await page.locator("[data-alert]").first().waitFor();
      expect(await page.locator(".ew-banner").isHidden()).toBe(true);
      expect(watch.errors).toEqual([]);
      expect(watch.dialogs).toBe(0);
    },
    T,
  );

  it(
    "the Reports view shows the NPS score, by inbox, and the reasons",
    async () => {
      const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Nia Promoter') RETURNING id")).rows[0]!
        .id;
      const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
      await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "resolved" });
      await recordNps(app.ctx, { conversationId: c.id, score: 10, comment: "<b>Sorted</b> in minutes", via: "widget" });
      await page.goto(`${app.url}/console/reports`);
      const panel = page.locator("[data-panel=nps]");
      await panel.waitFor();
      expect(await panel.locator("[data-nps]").first().textContent()).toBe("+100");
      expect(await panel.locator("[data-list=nps-inbox]").textContent()).toContain("1");
      // The customer's words are text, never markup.
      expect(await panel.textContent()).toContain("<b>Sorted</b> in minutes");
      await page.locator("[data-chart=nps-weekly] canvas").waitFor();
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
