/**
 * Service levels in a real browser (issue #17 §2): an admin adds an SLA policy in
 * Settings; the conversation list shows each conversation's time left, a breached one
 * in red, and sorts by it; the conversation header shows the SLA status; the clock
 * check's breach reaches the console as a notice; the reports show attainment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { SYSTEM } from "../../server/actor.ts";
import { checkSlaClocks } from "../../server/sla/checkSlaClocks.ts";

const T = 60_000;
const PASSWORD = "correct-horse-battery";
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let inboxId = "";

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
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** An open conversation (with people) and its customer's message. */
async function openConversation(name: string, text: string) {
  const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
  const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  await postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", senderId: contactId, content: text });
  await until(`SELECT 1 FROM conversation_slas WHERE conversation_id = '${c.id}' AND policy_id IS NOT NULL`);
  return c;
}

/**
 * Waits for the workers' refresh to store what `sql` finds. (Not queue.drain(): a
 * console that navigated leaves a delayed presence job queued for minutes.)
 */
async function until(sql: string, ms = 15_000) {
  const end = Date.now() + ms;
  while ((await app.db.query(sql)).rowCount === 0) {
    if (Date.now() > end) throw new Error(`not found in time: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("service levels in the console", () => {
  let late = "";
  let fresh = "";

  it(
    "an admin adds an SLA policy in Settings",
    async () => {
      await signInConsole(page, app.url, { email: "grace@bayviewbank.example", password: PASSWORD });
      await page.goto(`${app.url}/console/admin/sla-policies`);
      await page.locator("[data-action=new-sla-policy]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("Standard");
      await modal.locator("input[name=firstResponseMinutes]").fill("1");
      await modal.locator("select[name=firstResponseMinutesUnit]").selectOption("hours");
      await modal.locator("input[name=resolutionMinutes]").fill("8");
      // Around the clock: the test does not depend on the hour it runs at.
      await modal.locator("label.toggle", { hasText: "Count business hours only" }).click();
      await modal.locator("button[type=submit]").click();
      await modal.waitFor({ state: "detached" });
      const row = page.locator(".admin-table tbody tr", { hasText: "Standard" });
      await row.waitFor();
      expect(await row.textContent()).toContain("1 h");
      expect(await row.textContent()).toContain("24/7");
      const stored = (
        await app.db.query<{ first_response_minutes: number; resolution_minutes: number; business_hours: boolean }>(
          "SELECT * FROM sla_policies",
        )
      ).rows;
      expect(stored).toMatchObject([{ first_response_minutes: 60, resolution_minutes: 480, business_hours: false }]);
    },
    T,
  );

  it(
    "the list shows the time left, a breached conversation in red, and sorts by it",
    async () => {
      fresh = (await openConversation("Fiona Fresh", "Can I raise my card limit?")).id;
      const old = await openConversation("Larry Late", "My transfer has been stuck for days");
      late = old.id;
      // Larry reached the team two hours ago: an hour past the first-response target.
      await app.db.query("UPDATE conversation_slas SET started_at = started_at - interval '2 hours' WHERE conversation_id = $1", [late]);
      await app.ctx.queue.enqueue("sla.refresh", { conversationId: late });
      await until(`SELECT 1 FROM conversation_slas WHERE conversation_id = '${late}' AND first_response_due_at < now()`);

      await page.goto(`${app.url}/console/all`);
      const freshChip = page.locator(`.conv-item[data-id="${fresh}"] .sla-chip`);
      await freshChip.waitFor();
      expect(await freshChip.textContent()).toMatch(/(59 min|1 h) left/);
      expect(await freshChip.getAttribute("class")).toContain("sla-running");
      const lateChip = page.locator(`.conv-item[data-id="${late}"] .sla-chip`);
      expect(await lateChip.textContent()).toBe("Breached");
      expect(await lateChip.getAttribute("class")).toContain("sla-breached");
      expect(await lateChip.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(217, 45, 32)");

      await page.locator("select[data-action=sort]").selectOption("sla");
      await page.waitForFunction((id) => document.querySelector(".conv-item")?.getAttribute("data-id") === id, late);
      const order = await page.locator(".conv-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
      expect(order.indexOf(late)).toBeLessThan(order.indexOf(fresh));
    },
    T,
  );

  it(
    "the header shows the SLA status, and the breach reaches the console as a notice",
    async () => {
      await page.locator(`.conv-item[data-id="${late}"]`).click();
      const status = page.locator(".conv-header .conv-sla");
      await status.waitFor();
      expect(await status.getAttribute("data-sla")).toBe("breached");
      expect(await status.textContent()).toBe("Standard · Breached");

      const alerts = await checkSlaClocks(app.ctx);
      expect(alerts).toContainEqual({ conversationId: late, metric: "first_response", level: "breach" });
      const notice = page.locator(".toast", { hasText: "first response is past its target (Standard)" });
      await notice.waitFor();
      expect(await notice.textContent()).toContain("SLA breached");
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "an agent's reply records the first response, live in the header, and the report shows attainment",
    async () => {
      await page.locator(`.conv-item[data-id="${fresh}"]`).click();
      await page.locator(".conv-header .conv-sla").waitFor();
      const agentId = (await app.db.query<{ id: string }>("SELECT id FROM agents WHERE email = 'grace@bayviewbank.example'")).rows[0]!.id;
      await postMessage(app.ctx, {
        conversationId: fresh,
        messageType: "outgoing",
        senderType: "agent",
        senderId: agentId,
        content: "Yes, let me do that.",
      });
      // The next target is the resolution now: 8 hours from the start.
      await page.locator(".conv-header .conv-sla .sla-chip", { hasText: /[78] h( \d+ min)? left/ }).waitFor();

      await page.goto(`${app.url}/console/reports`);
      const row = page.locator("[data-panel=sla] tbody tr", { hasText: "Standard" });
      await row.waitFor();
      const cells = await row.locator("td").allTextContents();
      // Fiona's, Larry's and the demo's open conversations (the new policy was applied to those waiting).
      const measured = (
        await app.db.query<{ n: number; met: number; missed: number }>(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE first_response_at <= first_response_due_at)::int AS met,
                count(*) FILTER (WHERE first_response_breached_at IS NOT NULL)::int AS missed FROM conversation_slas`,
        )
      ).rows[0]!;
      expect(measured.met).toBeGreaterThanOrEqual(1); // Fiona's
      expect(measured.missed).toBeGreaterThanOrEqual(1); // Larry's
      const rate = Math.round((measured.met / (measured.met + measured.missed)) * 100);
      expect(cells.slice(0, 3)).toEqual(["Standard", String(measured.n), `${rate}% (${measured.met}/${measured.met + measured.missed})`]);
      expect(await page.locator("a[data-export=sla]").getAttribute("href")).toMatch(/^\/api\/v1\/reports\/sla\.csv\?from=/);
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
