/**
 * Customer segments in the console (issue #17 §3), in headless Chromium on a real
 * server: an admin saves "vulnerable customers" in Settings → Segments, an agent
 * filters the conversation list by it, and the reports take it: the overview, the
 * SLA, complaints and NPS panels, and every CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const ADMIN = { email: "sia.admin@bayviewbank.example", password: "admin-password-123" };
let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let vera = "";
let otto = "";

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Sia Admin", role: "admin", password: ADMIN.password });
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const customer = async (name: string) => {
    const contact = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
    const conv = (
      await app.db.query<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id", [
        inbox,
        contact,
      ])
    ).rows[0]!.id;
    return { contact, conv };
  };
  // Vera would recommend us (10); Otto would not (0): the NPS panel tells the segment from everyone.
  const answer = (who: { contact: string; conv: string }, score: number) =>
    app.db.query("INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, answered_at) VALUES ($1, $2, $3, $4, now())", [
      who.conv,
      who.contact,
      inbox,
      score,
    ]);
  const v = await customer("Vera Vulnerable");
  vera = v.conv;
  const o = await customer("Otto Other");
  otto = o.conv;
  await answer(v, 10);
  await app.db.query(`UPDATE contacts SET attributes = '{"tier": "vip"}' WHERE id = $1`, [v.contact]);
  await answer(o, 0);
  await app.db.query("INSERT INTO contact_vulnerabilities (contact_id, kind, consent_confirmed, note) VALUES ($1, 'elderly', true, 'x')", [
    v.contact,
  ]);
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("customer segments in the console", () => {
  it("an admin saves a segment; the conversation list and the reports filter by it", async () => {
    await signInConsole(page, app.url, ADMIN);
    await page.goto(`${app.url}/console/admin/segments`);
    await page.click("[data-action=new-segment]");
    await page.fill(".modal input[name=name]", "Vulnerable customers");
    await page.selectOption(".modal select[name=vulnerable]", "yes");
    await page.click(".modal-foot button[type=submit]");
    const row = page.locator("tr", { hasText: "Vulnerable customers" });
    await row.waitFor();
    expect(await row.textContent()).toContain("vulnerable");
    expect(await row.locator("[data-segment-count]").getAttribute("data-segment-count")).toBe("1");
    const saved = await app.db.query<{ id: string; criteria: unknown }>("SELECT id, criteria FROM segments");
    expect(saved.rows.map((r) => r.criteria)).toEqual([{ vulnerable: true }]);
    const segmentId = saved.rows[0]!.id;

    // The list: both customers, then only Vera once the segment is picked.
    await page.goto(`${app.url}/console/all`);
    await page.locator(`.conv-item[data-id="${otto}"]`).waitFor();
    await page.selectOption("[data-filter=segmentId]", segmentId);
    // Otto leaves the list when the filtered list is drawn, which may be emptied while it loads: wait for Vera alone.
    await expect.poll(() => page.locator(".conv-item").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id))).toEqual([vera]);

    // The reports: everyone's NPS is 0 (one promoter, one detractor); Vera's segment's is 100.
    await page.goto(`${app.url}/console/reports`);
    await expect.poll(() => page.locator("[data-nps]").getAttribute("data-nps")).toBe("0");
    await page.selectOption("select[aria-label='Report customer segment']", segmentId);
    await page.locator("[data-segment-note]").waitFor();
    await expect.poll(() => page.locator("[data-nps]").getAttribute("data-nps")).toBe("100");
    // Every export takes the segment too.
    for (const kind of ["daily", "conversations", "sla", "nps", "cases"])
      expect(await page.locator(`[data-export=${kind}]`).getAttribute("href")).toContain(`segmentId=${segmentId}`);

    // A segment on a contact attribute, from the form.
    await page.goto(`${app.url}/console/admin/segments`);
    await page.click("[data-action=new-segment]");
    await page.fill(".modal input[name=name]", "VIP tier");
    await page.fill(".modal input[name=attributeKey]", "tier");
    await page.fill(".modal input[name=attributeValue]", "VIP");
    await page.click(".modal-foot button[type=submit]");
    const vip = page.locator("tr", { hasText: "VIP tier" });
    await vip.waitFor();
    expect(await vip.textContent()).toContain("tier = VIP");
    expect(await vip.locator("[data-segment-count]").getAttribute("data-segment-count")).toBe("1");
    expect((await app.db.query("SELECT criteria FROM segments WHERE name = 'VIP tier'")).rows).toEqual([
      { criteria: { contactAttribute: { key: "tier", value: "VIP" } } },
    ]);

    // Vera's customer panel names the segments she is in.
    await page.goto(`${app.url}/console/all/${vera}`);
    const chips = page.locator(".details [aria-label='Customer segments'] [data-segment]");
    await expect.poll(() => chips.allTextContents()).toEqual(["VIP tier", "Vulnerable customers"]);
    expect(watch.errors).toEqual([]);
  }, 60_000);
});
