/**
 * The agent console end to end: a real server (embedded database, demo seed) and
 * headless Chromium. Signs in, reads the seeded inbox, receives a live handoff,
 * replies, writes a private note, resolves, and checks that a hostile contact name
 * is shown as text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { App } from "../../server/app.ts";
import { startTestApp } from "../helpers/testApp.ts";
import { launchChromium, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { findInbox } from "../../server/conversations/queries.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const EMAIL = "alex.morgan@bayviewbank.example";
const PASSWORD = "correct-horse-battery-staple";
const EVIL_NAME = "<img src=x onerror=alert(1)>";
const T = 30_000;

let app: App;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let watch: PageWatch;
let evilConversationId = "";

/** Polls the database until `sql` returns a row (the assistant works in a background job). */
async function waitForRow(sql: string, params: unknown[]) {
  await expect.poll(async () => (await app.ctx.db.query(sql, params)).rows.length, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
}

/**
 * A conversation the real assistant handles: it answers a product question (with
 * citations from the demo knowledge base), then hands off when the customer reports
 * money missing in anger. Going through the bot, not around it, keeps the test free
 * of races with the assistant's job.
 */
async function newHandedOffConversation(name: string, opts: { verified?: boolean } = {}) {
  const ctx = app.ctx;
  const inbox = (await findInbox(ctx.db, "website"))!;
  const { rows } = await ctx.db.query<{ id: string }>("INSERT INTO contacts (name, email, verified) VALUES ($1, $2, $3) RETURNING id", [
    name,
    null,
    opts.verified ?? false,
  ]);
  const c = await createConversation(ctx, { inboxId: inbox.id, contactId: rows[0]!.id });
  const say = (content: string) => postMessage(ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content });
  await say("How do I freeze my debit card?");
  await waitForRow(
    "SELECT 1 FROM messages WHERE conversation_id = $1 AND sender_type = 'bot' AND message_type = 'outgoing' AND content_attributes ? 'citations'",
    [c.id],
  );
  await say("Someone took ¥12,000 from my savings account overnight and the app keeps logging me out. This is unacceptable!");
  await waitForRow("SELECT 1 FROM conversations WHERE id = $1 AND status = 'open'", [c.id]);
  return c.id;
}

async function shot(name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-console-"));
  // A fresh test database (PGlite, or PostgreSQL + Redis when configured) with the demo seeded.
  app = await startTestApp({ env: { DATA_DIR: dataDir, KNOWLEDGE_DIR: path.join(ROOT, "knowledge") } });
  base = app.url!;
  const { rows: teams } = await app.ctx.db.query<{ id: string }>("SELECT id FROM teams");
  await createAgent(app.ctx, {
    actor: { type: "system" },
    email: EMAIL,
    name: "Alex Morgan",
    role: "agent",
    password: PASSWORD,
    teamIds: teams.map((t) => t.id),
  });

  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: "en-GB",
    timezoneId: "Asia/Shanghai",
  });
  page = await context.newPage();
  watch = watchPage(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("agent console", () => {
  it(
    "shows the sign-in page, and a clear error for a wrong password",
    async () => {
      // Opening the console signed out is not an error: no failed request before the sign-in page.
      const failed: string[] = [];
      const onResponse = (r: { status(): number; url(): string }) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
      page.on("response", onResponse);
      await page.goto(`${base}/console`);
      await page.locator("#email").waitFor();
      page.off("response", onResponse);
      expect(failed).toEqual([]);
      await shot("sign-in.png");
      await page.fill("#email", EMAIL);
      await page.fill("#password", "not-the-password");
      await page.click("button[type=submit]");
      const error = page.locator(".login-error");
      await error.waitFor();
      expect(await error.textContent()).toContain("Wrong e-mail or password");
      await shot("sign-in-error.png");
    },
    T,
  );

  it(
    "tells a locked-out agent about the lock without saying whether the account exists",
    async () => {
      const email = "locked.out@bayviewbank.example";
      await createAgent(app.ctx, { actor: { type: "system" }, email, name: "Locked Out", role: "agent", password: PASSWORD });
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${base}/api/v1/auth/login`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email, password: "wrong-password" }),
        });
        expect(r.status).toBe(401);
      }
      await page.fill("#email", email);
      await page.fill("#password", PASSWORD);
      await page.click("button[type=submit]");
      await page.locator(".login-error", { hasText: "locked" }).waitFor();
      // The right password is refused while locked, with the answer a wrong one gets.
      expect(await page.locator(".login-error").textContent()).toMatch(
        /^Wrong e-mail or password\. .*After five wrong tries an account is locked for 15 minutes/,
      );
      await shot("sign-in-locked.png");
    },
    T,
  );

  it(
    "signs in and lists the seeded handed-off conversations",
    async () => {
      await page.fill("#email", EMAIL);
      await page.fill("#password", PASSWORD);
      await page.click("button[type=submit]");
      await page.locator(".sidebar").waitFor();
      expect(await page.locator(".me-name").textContent()).toBe("Alex Morgan");

      await page.click("[data-nav=unassigned]");
      await page.waitForURL(/\/console\/unassigned$/);
      const wang = page.locator(".conv-item", { hasText: "Wang Fang" });
      await wang.waitFor();
      expect(await wang.locator(".chip-reason").textContent()).toBe("Sensitive topic");
      expect(await wang.locator(".prio-urgent").count()).toBe(1);

      await page.click("[data-nav=all]");
      await page.locator(".conv-item", { hasText: "Emma Liu" }).first().waitFor();
      expect(await page.locator(".conv-item", { hasText: "Wang Fang" }).count()).toBe(1);
      // Live counts in the navigation.
      await expect.poll(() => page.locator("[data-nav=unassigned] .nav-count").textContent(), { timeout: 5000 }).toBe("1");

      // The rail is redrawn on every count and presence change; one between a click's press and
      // release (here the agent's own availability) must not swallow the click.
      const box = (await page.locator("[data-nav=mine]").boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.locator(".me-availability").selectOption("away");
      await page.mouse.up();
      await page.waitForURL(/\/console\/mine$/);
      await page.locator(".me-availability").selectOption("online");
    },
    T,
  );

  it(
    "shows a conversation handed off during the session without a reload, with a hostile name as text",
    async () => {
      await page.click("[data-nav=unassigned]");
      await page.locator(".conv-item", { hasText: "Wang Fang" }).waitFor();
      const navigations: string[] = [];
      page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));

      evilConversationId = await newHandedOffConversation(EVIL_NAME);

      const item = page.locator(`.conv-item[data-id="${evilConversationId}"]`);
      await item.waitFor({ timeout: 10_000 });
      expect(await item.locator(".conv-item-name").textContent()).toBe(EVIL_NAME);
      expect(await item.locator(".chip-reason").textContent()).toBe("Negative sentiment");
      await expect.poll(() => page.locator("[data-nav=unassigned] .nav-count").textContent(), { timeout: 5000 }).toBe("2");
      await page.locator(".toast", { hasText: "New handoff" }).waitFor();
      expect(navigations).toEqual([]);

      await item.click();
      await page.locator(".conv-name").waitFor();
      expect(await page.locator(".conv-name").textContent()).toBe(EVIL_NAME);
      expect(await page.locator(".banner-summary").textContent()).toContain("¥12,000");
      expect(await page.locator(".msg-bot .assistant-tag").first().textContent()).toContain("Assistant");
      expect(await page.locator(".citation").count()).toBeGreaterThan(0);
      expect(await page.locator(".msg-in .senti-negative").count()).toBe(1);
      // The customer's mood beside the thread: the anger that rose over this conversation,
      // and the conversation listed as their latest negative episode.
      const mood = page.locator(".details [aria-label='Customer mood']");
      await mood.waitFor();
      expect(await mood.locator("dd").first().textContent()).toMatch(/^negative.*Getting worse$/);
      expect(await mood.locator(".mood-episodes .history-item").count()).toBe(1);
      expect(await mood.locator(".mood-episodes .conv-item-id").textContent()).toMatch(/^#\d+$/);
      // No element was created from the name, and no script ran.
      expect(await page.locator("img").count()).toBe(0);
      expect(watch.dialogs).toBe(0);
    },
    T,
  );

  it(
    "shows the customer typing and their new messages live",
    async () => {
      app.io!.of("/agent").emit("typing", { conversationId: evilConversationId, from: "contact", typing: true });
      await page.locator(".typing-indicator:not([hidden])").waitFor();
      await postMessage(app.ctx, {
        conversationId: evilConversationId,
        messageType: "incoming",
        senderType: "contact",
        content: "Hello? Is anyone there?",
      });
      await page.locator(".msg-in", { hasText: "Hello? Is anyone there?" }).waitFor();
      expect(await page.locator(".typing-indicator").isHidden()).toBe(true);
    },
    T,
  );

  it(
    "posts a reply and a private note",
    async () => {
      const reply = "Hi, I'm Alex from Bayview customer care. I've frozen your card and I'm checking the transfers now.";
      const box = page.locator(".composer-input");
      await box.fill(reply);
      await box.press("Enter");
      await page.locator(".msg-agent:not(.pending)", { hasText: "I've frozen your card" }).waitFor();

      await page.click(".composer .tab[data-mode=note]");
      expect(await page.locator(".composer.note-mode").count()).toBe(1);
      const note = "Checked core banking: two transfers at 02:14 to a new payee. Fraud case FC-20931 opened.";
      await box.fill(note);
      await box.press("Enter");
      await page.locator(".msg-note:not(.pending)", { hasText: "FC-20931" }).waitFor();
      await page.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
      await shot("thread-reply-note.png");

      const { rows } = await app.ctx.db.query<{ content: string; private: boolean; sender_type: string }>(
        "SELECT content, private, sender_type FROM messages WHERE conversation_id = $1 AND sender_type = 'agent' ORDER BY seq",
        [evilConversationId],
      );
      expect(rows).toEqual([
        { content: reply, private: false, sender_type: "agent" },
        { content: note, private: true, sender_type: "agent" },
      ]);
      // The first reply took the conversation (as in Chatwoot): it left Unassigned, and
      // the waiting clock stopped.
      const { rows: conv } = await app.ctx.db.query<{ assignee: string | null; waiting_since: Date | null }>(
        "SELECT (SELECT email FROM agents WHERE id = c.assignee_id) AS assignee, waiting_since FROM conversations c WHERE id = $1",
        [evilConversationId],
      );
      expect(conv[0]).toEqual({ assignee: EMAIL, waiting_since: null });
      await expect.poll(() => page.locator(`.conv-item[data-id="${evilConversationId}"]`).count(), { timeout: 5000 }).toBe(0);
      await page.locator(".activity", { hasText: "joined the conversation" }).waitFor();
    },
    T,
  );

  it(
    "shows the canned responses popup and closes it with Escape",
    async () => {
      await page.click(".composer .tab[data-mode=reply]");
      const box = page.locator(".composer-input");
      await box.fill("/than");
      await page
        .locator(".canned:not([hidden])")
        .waitFor({ timeout: 10_000 })
        .catch(async (err: Error) => {
          // What the composer showed instead (this step has timed out on CI now and then).
          const state = await page.evaluate(() => ({
            value: document.querySelector<HTMLTextAreaElement>(".composer-input")?.value,
            focused: document.activeElement?.className,
            popup: document.querySelector(".canned")?.outerHTML.slice(0, 300),
            composers: document.querySelectorAll(".composer").length,
          }));
          throw new Error(`${err.message}\ncomposer: ${JSON.stringify(state)}`);
        });
      await box.press("Escape");
      expect(await page.locator(".canned").isHidden()).toBe(true);
      await box.fill("");
    },
    T,
  );

  it(
    "resolves the conversation",
    async () => {
      await page.click("[data-action=resolve]");
      await page.locator(".conv-header .status-resolved").waitFor();
      await page.locator("[data-action=reopen]").waitFor();
      const { rows } = await app.ctx.db.query<{ status: string }>("SELECT status FROM conversations WHERE id = $1", [evilConversationId]);
      expect(rows[0]!.status).toBe("resolved");
      await page.locator(".activity", { hasText: "Conversation resolved" }).waitFor();
      // It leaves the Unassigned view, live.
      await expect.poll(() => page.locator(`.conv-item[data-id="${evilConversationId}"]`).count(), { timeout: 5000 }).toBe(0);
    },
    T,
  );

  it(
    "shows the inbox with a handed-off conversation open",
    async () => {
      const id = await newHandedOffConversation("Zhang Wei", { verified: true });
      await page.locator(`.conv-item[data-id="${id}"]`).click();
      await page.locator(".conv-banner:not([hidden])").waitFor();
      await page.fill(".details input[aria-label='Add a label']", "Fraud case");
      await page.press(".details input[aria-label='Add a label']", "Enter");
      await page.locator(".details .chip-label", { hasText: "fraud-case" }).waitFor();
      const { rows } = await app.ctx.db.query<{ labels: string[] }>("SELECT labels FROM conversations WHERE id = $1", [id]);
      expect(rows[0]!.labels).toEqual(["fraud-case"]);
      await page.locator(".composer-input").fill("Thanks Zhang Wei — I can see the transfers. Let's secure your account first.");
      await page.mouse.move(0, 0);
      await page.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
      await shot("inbox.png");
      await page.setViewportSize({ width: 1280, height: 760 });
      await shot("inbox-1280.png");
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator(".composer-input").fill("");
    },
    T,
  );

  it(
    "snoozes and re-opens a conversation",
    async () => {
      await page.click(".conv-actions button[title='Snooze until later']");
      await page.locator(".menu-item", { hasText: "1 hour" }).click();
      await page.locator(".conv-header .status-snoozed").waitFor();
      await page.locator("[data-action=reopen]").click();
      await page.locator(".conv-header .status-open").waitFor();
    },
    T,
  );

  it(
    "takes a conversation over from the assistant",
    async () => {
      await page.click("[data-nav=bot]");
      const item = page.locator(".conv-item", { hasText: "Website visitor" });
      await item.click();
      await page.locator(".composer-notice", { hasText: "The assistant is handling this conversation" }).waitFor();
      await page.locator(".conv-actions button", { hasText: "Take over" }).click();
      await page.locator(".conv-header .status-open").waitFor();
      await expect.poll(() => page.locator("select[aria-label=Assignee]").inputValue(), { timeout: 5000 }).not.toBe("");
      const { rows } = await app.ctx.db.query<{ status: string; assignee_id: string; email: string }>(
        "SELECT c.status, c.assignee_id, a.email FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.display_id = 3",
      );
      expect(rows[0]).toMatchObject({ status: "open", email: EMAIL });
      await expect.poll(() => page.locator("[data-nav=mine] .nav-count").textContent(), { timeout: 5000 }).toBe("1");
      await expect.poll(() => page.locator(".conv-item", { hasText: "Website visitor" }).count(), { timeout: 5000 }).toBe(0);
    },
    T,
  );

  it(
    "shows the directory, the contact profile, canned responses, knowledge hits and report figures",
    async () => {
      const db = app.ctx.db;
      const { rows: agents } = await db.query<{ id: string; name: string; email: string; role: string; availability: string }>(
        "SELECT id, name, email, role, availability FROM agents ORDER BY name",
      );
      const { rows: teams } = await db.query<{ id: string; name: string; slug: string }>("SELECT id, name, slug FROM teams ORDER BY name");
      const { rows: contacts } = await db.query<{ id: string }>("SELECT id FROM contacts WHERE name = 'Wang Fang'");
      const wangId = contacts[0]!.id;
      const json = (body: unknown) => ({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
      await page.route("**/api/v1/agents", (r) => r.fulfill(json({ items: agents.map((a) => ({ ...a, teamIds: [] })) })));
      await page.route("**/api/v1/teams", (r) => r.fulfill(json({ items: teams })));
      await page.route("**/api/v1/canned-responses", (r) =>
        r.fulfill(
          json({
            items: [
              {
                shortCode: "freeze",
                content:
                  "I've frozen your card for now, so no new payments can be made with it. You can unfreeze it any time in Bayview Mobile.",
              },
              { shortCode: "thanks", content: "Thank you for your patience." },
            ],
          }),
        ),
      );
      await page.route(`**/api/v1/contacts/${wangId}`, (r) =>
        r.fulfill(
          json({
            contact: {
              id: wangId,
              name: "Wang Fang",
              email: "wang.fang@example.com",
              phone: "+86 138 0013 8000",
              externalId: "C-1001",
              verified: true,
              attributes: { segment: "Premier", city: "Shanghai" },
            },
            conversations: [],
          }),
        ),
      );
      await page.route("**/api/v1/knowledge/search?*", (r) =>
        r.fulfill(
          json({
            hits: [
              {
                path: "cards/security.md",
                title: "Card security",
                heading: "Freezing a card",
                score: 0.91,
                text: "You can freeze a debit or credit card instantly in Bayview Mobile under Cards → Freeze. Frozen cards decline new payments; direct debits continue.",
              },
              {
                path: "cards/disputes.md",
                title: "Disputes",
                heading: "Unrecognised payments",
                score: 0.84,
                text: "Report an unrecognised payment within 60 days. We open a dispute and may issue a temporary credit within 5 working days.",
              },
            ],
          }),
        ),
      );
      await page.route("**/api/v1/reports/summary?*", (r) =>
        r.fulfill(
          json({
            conversations: 1284,
            containmentRate: 0.71,
            handoffsByReason: { explicit_request: 142, sensitive_topic: 88, low_confidence: 61, negative_sentiment: 37, error: 4 },
            firstResponse: { median: 48, p90: 210 },
            resolution: { median: 1260, p90: 7400 },
            csat: { average: 4.46, distribution: { 1: 6, 2: 9, 3: 21, 4: 88, 5: 176 } },
          }),
        ),
      );
      await page.reload();
      await page.locator(".conv-name").waitFor();
      await page.click("[data-nav=unassigned]");
      await page.locator(".conv-item", { hasText: "Wang Fang" }).click();
      await page.locator(".details .facts", { hasText: "wang.fang@example.com" }).waitFor();
      expect(await page.locator(".details").textContent()).toContain("Premier");
      await expect
        .poll(() => page.locator("select[aria-label=Team] option:checked").textContent(), { timeout: 5000 })
        .toBe("Customer care (complaints & fraud)");
      const assignees = (await page.locator("select[aria-label=Assignee] option").allTextContents()).join("|");
      expect(assignees).toMatch(/^Unassigned\|Alex Morgan \(me\)\|/);
      expect(assignees).toContain("Li Na");
      expect(assignees).toContain("Sam Chen");
      expect(assignees).not.toContain("Knowledge Editor");

      const box = page.locator(".composer-input");
      await box.fill("Hello Wang Fang. /fre");
      await page.locator(".canned-item", { hasText: "/freeze" }).waitFor();
      await box.press("Enter");
      expect(await box.inputValue()).toBe(
        "Hello Wang Fang. I've frozen your card for now, so no new payments can be made with it. You can unfreeze it any time in Bayview Mobile.",
      );
      await box.fill("");

      await page.click(".details .tab[data-tab=knowledge]");
      await page.fill(".kb-search input", "freeze card");
      await page.locator(".kb-hit", { hasText: "Freezing a card" }).waitFor();
      await page.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
      await shot("inbox-knowledge.png");
      await page.click(".details .tab[data-tab=customer]");
      await shot("inbox-customer.png");

      await page.click("[data-nav=reports]");
      await page.locator(".reports .stat-value", { hasText: "1,284" }).waitFor();
      await shot("reports-data.png");
      await page.unrouteAll();
      await page.goBack();
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "signs out",
    async () => {
      await page.click(".me button[aria-label='Sign out']");
      await page.locator("#email").waitFor();
      const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status);
      expect(me).toBe(401);
    },
    T,
  );
});
