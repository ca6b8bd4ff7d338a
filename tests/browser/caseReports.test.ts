/**
 * The complaints report in a real browser (issue #17 §1): Reports shows the Complaints
 * section with the figures of the cases received in the period, bar charts by category
 * and product drawn, root causes and repeat complainants listed, and (for an admin) the
 * Complaints CSV link for the same period.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { SYSTEM } from "../../server/actor.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";

const T = 60_000;
const PASSWORD = "correct-horse-battery";
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, { actor: SYSTEM, email: "grace@bayviewbank.example", name: "Grace Lead", role: "admin", password: PASSWORD });
  const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const taxonomy = async (code: string) =>
    (await app.db.query<{ id: string }>("SELECT id FROM case_taxonomy WHERE code = $1", [code])).rows[0]!.id;
  const fees = await taxonomy("fees_charges");
  const card = await taxonomy("credit_card");
  const contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Repeat Customer') RETURNING id")).rows[0]!.id;
  // Two complaints by one customer, received yesterday at 10:00 and acknowledged at 14:00 in the
  // case's own time zone (the same local day: 0 days, as the case clocks count, at any hour the test
  // runs; "a day ago" and "20 hours ago" straddled local midnight from 20:00 Shanghai time, and read
  // 1 day), classified, one answered with a refund.
  const yesterdayAt = (hour: number) =>
    `(date_trunc('day', now() AT TIME ZONE (policy->>'timezone')) - interval '1 day' + interval '${hour} hours') AT TIME ZONE (policy->>'timezone')`;
  for (const [i, rootCause] of ["Fee charged twice", "Card fee not explained"].entries()) {
    const conv = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
    const { case: c } = await openCase(app.ctx, { actor: SYSTEM, conversationId: conv.id, summary: `Complaint ${i}`, source: "agent" });
    await app.db.query(
      `UPDATE cases SET received_at = ${yesterdayAt(10)}, acknowledged_at = ${yesterdayAt(14)},
         category_id = $2, product_id = $3, root_cause = $4, remedy = $5, status = 'acknowledged' WHERE id = $1`,
      [c.id, fees, card, rootCause, JSON.stringify(i === 0 ? { refundAmount: 88, currency: "CNY", apology: true } : {})],
    );
  }
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("complaints in Reports", () => {
  it(
    "shows the figures, draws the bars and offers the CSV",
    async () => {
      await signInConsole(page, app.url, { email: "grace@bayviewbank.example", password: PASSWORD });
      await page.goto(`${app.url}/console/reports`);
      const panel = page.locator("[data-panel=complaints]");
      await panel.waitFor({ timeout: 15_000 });
      expect(await panel.locator(".stat-value").first().textContent()).toBe("2");
      expect(await panel.locator(".stat-sub").first().textContent()).toBe("1 repeat complainant");
      expect(await panel.locator(".stat", { hasText: "Remedies" }).locator(".stat-value").textContent()).toBe("88 CNY");
      expect(await panel.locator(".stat", { hasText: "To acknowledge" }).locator(".stat-value").textContent()).toBe("0 days");
      expect(await panel.locator("[data-list=root-causes]").textContent()).toContain("Fee charged twice");
      expect(await panel.locator("[data-list=repeat-complainants]").textContent()).toContain("Repeat Customer");
      for (const id of ["complaints-category", "complaints-product", "complaints-breaches"]) {
        const canvas = page.locator(`[data-chart=${id}] canvas`);
        await canvas.waitFor({ timeout: 10_000 });
        const painted = await canvas.evaluate((c) => {
          const cv = c as HTMLCanvasElement;
          const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
          return n;
        });
        expect(painted).toBeGreaterThan(500);
      }
      expect(await page.locator("a[data-export=cases]").getAttribute("href")).toMatch(/^\/api\/v1\/reports\/cases\.csv\?from=/);
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
