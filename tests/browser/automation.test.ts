/**
 * Automation rules in a real browser (issue #17 §2): an admin adds a rule in Settings →
 * Automation; a customer writes in the website widget; the rule fires on the new
 * conversation (priority and label), the console's section lists the run, and the
 * conversation's thread says which rule changed it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const T = 90_000;
const PASSWORD = "correct-horse-battery";
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;

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
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function until<T>(sql: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const { rows } = await app.db.query<T & object>(sql);
    if (rows[0]) return rows[0];
    if (Date.now() > end) throw new Error(`not found in time: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const w = (p: Page, selector: string): Locator => p.locator("#bankdesk-widget").locator(selector);

describe("automation rules in the console", () => {
  it(
    "an admin adds a rule, and it fires on a new widget conversation",
    async () => {
      await signInConsole(page, app.url, { email: "grace@bayviewbank.example", password: PASSWORD });
      await page.goto(`${app.url}/console/admin/automation`);
      await page.locator("[data-action=new-automation-rule]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("Fraud reports first");
      await modal.locator("select[name=event]").selectOption("customer_message_created");
      await modal.locator("select[name=channels]").selectOption(["web"]);
      await modal.locator("input[name=keywords]").fill("fraud, stolen");
      // The first action (set priority) is there already; a label as the second.
      await modal.locator("select[name=actionType]").first().waitFor();
      await modal.locator("select[name=priority]").selectOption("urgent");
      await modal.locator("[data-action=add-action]").click();
      await modal.locator("select[name=actionType]").nth(1).selectOption("add_label");
      await modal.locator("input[name=label]").fill("fraud");
      await modal.locator("button[type=submit]").click();
      await modal.waitFor({ state: "detached" });
      const row = page.locator(".admin-table tbody tr", { hasText: "Fraud reports first" });
      await row.waitFor();
      expect(await row.textContent()).toContain("Customer message received");
      const stored = (await app.db.query<{ event: string; conditions: object; actions: object[] }>("SELECT * FROM automation_rules")).rows;
      expect(stored).toMatchObject([
        {
          event: "customer_message_created",
          conditions: { channels: ["web"], keywords: ["fraud", "stolen"] },
          actions: [
            { type: "set_priority", priority: "urgent" },
            { type: "add_label", label: "fraud" },
          ],
        },
      ]);
      expect(await page.locator("[data-empty=runs]").textContent()).toContain("No rule has run yet");

      // A customer on the bank's website reports fraud in the widget.
      const site = await page.context().newPage();
      await site.goto(`${app.url}/`);
      await w(site, ".bd-launcher").waitFor({ state: "visible" });
      await w(site, ".bd-launcher").click();
      await w(site, '.bd-root[data-connected="true"]').waitFor({ state: "attached" });
      await w(site, "textarea.bd-input").fill("I think my card was stolen, there is a fraud payment on it");
      await w(site, "textarea.bd-input").press("Enter");
      const changed = await until<{ id: string; display_id: number }>(
        "SELECT id, display_id FROM conversations WHERE priority = 'urgent' AND 'fraud' = ANY(labels)",
      );
      await site.close();

      // The section lists the run; the conversation says which rule changed it.
      await page.reload();
      const run = page.locator(".admin-table tbody tr", { hasText: `#${changed.display_id}` });
      await run.waitFor();
      expect(await run.textContent()).toContain("Fraud reports first");
      expect(await run.textContent()).toContain("set priority urgent, added label fraud");
      await run.locator("a").click();
      await page.locator(".thread, .messages, main").getByText('Automation rule "Fraud reports first" ran').first().waitFor();
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "an admin routes a customer segment: the rule keeps the segments picked",
    async () => {
      const segment = (
        await app.db.query<{ id: string }>(
          `INSERT INTO segments (name, criteria) VALUES ('Detractors', '{"npsDetractor": true}') RETURNING id`,
        )
      ).rows[0]!.id;
      await page.goto(`${app.url}/console/admin/automation`);
      await page.locator("[data-action=new-automation-rule]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("Detractors first");
      await modal.locator("select[name=event]").selectOption("conversation_created");
      await modal.locator("select[name=segmentIds]").selectOption([segment]);
      await modal.locator("select[name=actionType]").first().waitFor();
      await modal.locator("select[name=priority]").selectOption("high");
      await modal.locator("button[type=submit]").click();
      await modal.waitFor({ state: "detached" });
      await page.locator(".admin-table tbody tr", { hasText: "Detractors first" }).waitFor();
      const stored = await app.db.query<{ conditions: object }>("SELECT conditions FROM automation_rules WHERE name = 'Detractors first'");
      expect(stored.rows).toEqual([{ conditions: { segmentIds: [segment] } }]);
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
