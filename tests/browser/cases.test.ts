/**
 * Complaint cases end to end in a real browser (issue #17, "Done when"): a complaint in
 * Chinese in the widget opens a case with a reference and a 15-working-day clock; a
 * supervisor takes it in the console, gives it an owner, approves an extension, sends
 * the final-response letter (the customer sees it in the widget) and closes it; the
 * timeline shows every step. Then a breach: the clock check raises it and the console
 * shows the notice, which opens the case in the Breached view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { SYSTEM } from "../../server/actor.ts";
import { findInbox } from "../../server/conversations/queries.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { updateCase } from "../../server/cases/commands/updateCase.ts";
import { checkCaseClocks } from "../../server/cases/checkCaseClocks.ts";
import { computeCaseClock } from "../../server/cases/caseClock.ts";
import { PRESETS } from "../../server/cases/jurisdictions.ts";

const T = 60_000;
const PASSWORD = "correct-horse-battery";
let app: TestApp;
let browser: Browser;
let customer: Page;
let agent: Page;
let agentWatch: PageWatch;

beforeAll(async () => {
  app = await startTestApp();
  const teams = (await app.db.query<{ id: string }>("SELECT id FROM teams")).rows.map((r) => r.id);
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "grace@bayviewbank.example",
    name: "Grace Supervisor",
    role: "admin",
    password: PASSWORD,
    teamIds: teams,
  });
  browser = await launchChromium();
  customer = await (await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: "zh-CN" })).newPage();
  ({ page: agent, watch: agentWatch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const w = (page: Page, selector: string): Locator => page.locator("#bankdesk-widget").locator(selector);

async function clickStatus(status: string) {
  await agent.locator(`button[data-case-status="${status}"]`).click();
}

describe("complaint cases in the browser", () => {
  let reference = "";

  it(
    "a Chinese complaint in the widget opens a case and the assistant gives the reference and the deadline",
    async () => {
      await customer.goto(`${app.url}/`);
      await w(customer, ".bd-launcher").click();
      await w(customer, '.bd-root[data-connected="true"]').waitFor({ state: "attached" });
      const input = w(customer, "textarea.bd-input");
      await input.fill("我要投诉你们网点的工作人员，柜员态度恶劣");
      await input.press("Enter");
      const bot = w(customer, ".bd-row--bot").filter({ hasText: "CR-" });
      await bot.waitFor({ timeout: 20_000 });
      const text = (await bot.first().textContent()) ?? "";
      reference = text.match(/CR-\d{4}-\d{6}/)![0];
      const c = (
        await app.db.query<{ received_at: Date; due_at: Date; language: string }>("SELECT * FROM cases WHERE reference = $1", [reference])
      ).rows[0]!;
      expect(c.language).toBe("zh");
      // The 15-working-day clock of mainland China, and the date the customer was told.
      const clock = computeCaseClock(PRESETS.cn, c.received_at);
      expect(c.due_at.toISOString()).toBe(clock.dueAt.toISOString());
      const [y, m, d] = clock.dueDate.split("-").map(Number);
      expect(text).toContain(`${y}年${m}月${d}日`);
      expect(text).toContain("已为您登记投诉");
    },
    T,
  );

  it(
    "a supervisor gives it an owner, approves an extension, sends the final response and closes it; the timeline shows every step",
    async () => {
      await signInConsole(agent, app.url, { email: "grace@bayviewbank.example", password: PASSWORD });
      await agent.click("[data-nav=cases]");
      await agent.click('[data-case-view="all"]');
      await agent.locator(`.case-item[data-reference="${reference}"]`).click();
      await agent.locator(".case-ref", { hasText: reference }).waitFor();
      expect(await agent.locator(".case-due").textContent()).toContain("15 business days");
      const dueBefore = await agent.locator(".case-due").getAttribute("data-due-date");

      await agent.locator('select[aria-label="Owner"]').selectOption({ label: "Sam Chen" });
      await agent.locator(".case-timeline li[data-kind=owner_changed]").waitFor();
      await clickStatus("investigating");
      await agent.locator('.case-status[data-status="investigating"]').waitFor();

      await agent.fill('textarea[name="extensionReason"]', "需要调取网点监控录像，情况复杂");
      await agent.click('button[data-action="extend"]');
      await agent.locator(".case-due", { hasText: "extended 1×" }).waitFor();
      expect(await agent.locator(".case-due").getAttribute("data-due-date")).not.toBe(dueBefore);
      expect(await agent.locator(".case-due").textContent()).toContain("30 business days");

      const decision = "经调查，网点柜员服务态度确有不当，您的投诉成立。";
      await agent.fill('textarea[name="decision"]', decision);
      // A colleague classifies the case meanwhile: the page is drawn again with it (by
      // socket), and what the supervisor typed is still there.
      const { id: caseId } = (await app.db.query<{ id: string }>("SELECT id FROM cases WHERE reference = $1", [reference])).rows[0]!;
      await updateCase(app.ctx, { actor: SYSTEM, id: caseId, changes: { severity: "high" } });
      await agent.locator(".case-timeline li[data-kind=classified]").waitFor();
      expect(await agent.locator('textarea[name="decision"]').inputValue()).toBe(decision);
      await agent.click('button[data-action="final-response"]');
      await agent.locator('.case-status[data-status="final_response"]').waitFor();
      // The customer reads the letter in the widget, in Chinese, with the reference.
      await w(customer, ".bd-row--agent").filter({ hasText: "最终答复" }).filter({ hasText: reference }).waitFor({ timeout: 15_000 });

      await clickStatus("closed");
      await agent.locator('.case-status[data-status="closed"]').waitFor();
      const kinds = await agent.locator(".case-timeline li").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind));
      expect(kinds).toEqual([
        "received",
        "owner_changed",
        "status_changed",
        "deadline_extended",
        "classified",
        "letter_sent",
        "status_changed",
      ]);
      const extension = agent.locator(".case-timeline li[data-kind=deadline_extended]");
      expect(await extension.textContent()).toContain("Grace Supervisor");
      expect(await extension.textContent()).toContain("需要调取网点监控录像");
      expect(agentWatch.errors).toEqual([]);
    },
    T,
  );

  it(
    "shows a breach alert in the console, which opens the case among the breached",
    async () => {
      const inbox = (await findInbox(app.db, "website"))!;
      const contact = (await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1002'")).rows[0]!.id;
      const conv = await createConversation(app.ctx, { inboxId: inbox.id, contactId: contact, status: "open" });
      const { case: c } = await openCase(app.ctx, {
        actor: SYSTEM,
        conversationId: conv.id,
        summary: "Annual fee charged after it was waived",
        source: "agent",
        language: "en",
      });
      // As if received weeks ago and left: its deadline passed an hour ago. Then the clock check, as the worker runs it.
      await app.db.query(
        `UPDATE cases SET received_at = now() - interval '30 days', acknowledge_due_at = now() - interval '29 days', due_at = now() - interval '1 hour'
         WHERE id = $1`,
        [c.id],
      );
      const alerts = await checkCaseClocks(app.ctx);
      expect(alerts).toContainEqual({ reference: c.reference, clock: "final_response", level: "breach" });
      const notice = agent.locator(".toast", { hasText: `${c.reference}: final response is past its deadline` });
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.textContent()).toContain("Complaint deadline breached");
      await notice.locator(".toast-action").click();
      await agent.waitForURL(/\/console\/cases\/breached\//);
      await agent.locator(".case-ref", { hasText: c.reference }).waitFor();
      await agent.locator(".case-timeline li[data-kind=clock_alert]", { hasText: "Final response: deadline passed" }).waitFor();
      expect(await agent.locator(`.case-item[data-reference="${c.reference}"] .case-clock`).textContent()).toBe("Breached");
    },
    T,
  );
});
