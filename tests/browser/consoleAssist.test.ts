/**
 * The console's AI assistance and report charts in Chromium, on a real server
 * (embedded database, demo knowledge base, offline generators): "Suggest reply"
 * fills the composer with a draft and its sources and sends nothing; "Improve
 * tone" rewrites a draft with Undo; "Summarize" shows a summary; the reports page
 * draws its charts and offers the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { findInbox } from "../../server/conversations/queries.ts";
import { SYSTEM } from "../../server/actor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const EMAIL = "jordan.lee@bayviewbank.example";
const PASSWORD = "assist-browser-password";
const T = 30_000;

let app: TestApp;
let browser: Browser;
let page: Page;
let conversationId = "";
const pageErrors: string[] = [];

async function shot(name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

const messageCount = async () => (await app.ctx.db.query("SELECT 1 FROM messages WHERE conversation_id = $1", [conversationId])).rowCount;

beforeAll(async () => {
  app = await startTestApp({ env: { KNOWLEDGE_DIR: path.join(ROOT, "knowledge") } });
  await createAgent(app.ctx, { actor: SYSTEM, email: EMAIL, name: "Jordan Lee", role: "admin", password: PASSWORD });
  const inbox = (await findInbox(app.ctx.db, "website"))!;
  const { rows } = await app.ctx.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Chen Jing') RETURNING id");
  // Straight to the humans (open), so the bot does not answer first.
  const c = await createConversation(app.ctx, { inboxId: inbox.id, contactId: rows[0]!.id, status: "open" });
  conversationId = c.id;
  await postMessage(app.ctx, {
    conversationId,
    messageType: "incoming",
    senderType: "contact",
    content: "How do I freeze my debit card?",
  });
  // History for the charts: conversations over the last days, some handed off, answered, resolved and rated.
  for (let d = 1; d <= 6; d++) {
    for (let i = 0; i < d; i++) {
      const created = new Date(Date.now() - d * 86_400_000 + i * 60_000);
      const handed = i % 2 === 0;
      const { rows: conv } = await app.ctx.db.query<{ id: string }>(
        `INSERT INTO conversations (inbox_id, contact_id, status, created_at, handed_off_at, first_reply_at, resolved_at, handoff_reason)
         VALUES ($1, $2, 'resolved', $3, $4, $5, $6, $7) RETURNING id`,
        [
          inbox.id,
          rows[0]!.id,
          created,
          handed ? new Date(created.getTime() + 30_000) : null,
          handed ? new Date(created.getTime() + 30_000 + (d + i) * 40_000) : null,
          new Date(created.getTime() + (10 + d * 3) * 60_000),
          handed ? ["explicit_request", "sensitive_topic", "negative_sentiment"][i % 3] : null,
        ],
      );
      if (i % 2 === 1 || d % 2 === 0) {
        await app.ctx.db.query("INSERT INTO csat_responses (conversation_id, rating) VALUES ($1, $2)", [conv[0]!.id, 2 + ((d + i) % 4)]);
      }
    }
  }

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: "en-GB" });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
  await signInConsole(page, app.url, { email: EMAIL, password: PASSWORD });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("AI assistance in the conversation view", () => {
  it(
    "suggests a reply with citations into the composer, without sending it",
    async () => {
      await page.goto(`${app.url}/console/all/${conversationId}`);
      await page.locator(".msg", { hasText: "How do I freeze my debit card?" }).first().waitFor();
      const before = await messageCount();
      await page.click("[data-assist=suggest]");
      const box = page.locator(".composer-input");
      await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toMatch(/freeze/i);
      const draft = await box.inputValue();
      // Clean prose in the box, no Markdown (the article's steps are bold, bulleted); the sources are shown beside it.
      expect(draft).not.toMatch(/Sources:|\]\(\/kb\//);
      expect(draft).not.toMatch(/\*\*|^\s*[-*+] |^#+ |\|/m);
      const citation = page.locator(".assist-panel .assist-citation").first();
      await citation.waitFor();
      expect(await citation.getAttribute("href")).toMatch(/^\/kb\//);
      expect(await page.locator(".assist-panel").textContent()).toContain("review it before sending");
      await shot("assist-suggest.png");
      // Nothing was sent: the thread and the database are as before.
      await new Promise((r) => setTimeout(r, 300));
      expect(await messageCount()).toBe(before);
      // Undo restores the empty box.
      await page.click(".assist-panel button:has-text('Undo')");
      expect(await box.inputValue()).toBe("");
    },
    T,
  );

  it(
    "shows what the assistant would answer to a typed question, rendered, with its confidence and source",
    async () => {
      await page.goto(`${app.url}/console/all/${conversationId}`);
      await page.click(".details .tab[data-tab=knowledge]");
      await page.fill(".kb-search input", "how long does a replacement card take to arrive");
      await page.click(".kb-ask");
      const answer = page.locator(".kb-answer");
      await answer.waitFor();
      expect(await answer.locator(".kb-title").textContent()).toMatch(/^Answers \(confidence \d+ %\)/);
      // Rendered Markdown (the bold label is an element), not its source.
      expect(await answer.locator(".md strong").count()).toBeGreaterThan(0);
      expect(await answer.locator(".md").textContent()).toContain("5–7 working days");
      expect(await answer.locator(".md").textContent()).not.toContain("**");
      expect(await answer.locator(".kb-path").first().textContent()).toContain("Lost or stolen card");
      await shot("knowledge-preview.png");
      await page.fill(".kb-search input", "do you sell gold bars");
      await page.click(".kb-ask");
      await expect.poll(() => answer.locator(".kb-title").textContent()).toMatch(/^(Declines|Hands over)/);
      await page.click(".details .tab[data-tab=customer]");
    },
    T,
  );

  it(
    "improves the tone of a draft and lists what changed",
    async () => {
      const box = page.locator(".composer-input");
      await box.fill("pls freeze it in the app NOW, its free!!!");
      await page.click("[data-assist=tone]");
      await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toContain("Please freeze it in the app now");
      expect(await box.inputValue()).toMatch(/^Hello Chen Jing,\n\n/);
      expect(await box.inputValue()).not.toContain("!!!");
      await page.locator(".assist-changes li", { hasText: "Added a greeting" }).waitFor();
      await shot("assist-tone.png");
      await box.fill("");
    },
    T,
  );

  it(
    "summarizes the conversation",
    async () => {
      await page.click("[data-assist=summary]");
      const summary = page.locator(".assist-summary");
      await summary.waitFor({ timeout: 10_000 });
      expect(await summary.textContent()).toContain("Asked first: “How do I freeze my debit card?”");
      await shot("assist-summary.png");
      await page.click(".assist-panel button:has-text('Use as private note')");
      expect(await page.locator(".composer").getAttribute("class")).toContain("note-mode");
      expect(await page.locator(".composer-input").inputValue()).toMatch(/^Summary:\n/);
      await page.locator(".composer-input").fill("");
    },
    T,
  );

  it(
    "closes the panel once the agent sends, and once the conversation is resolved",
    async () => {
      const panel = page.locator(".assist-panel");
      await page.click("[data-assist=suggest]");
      await page.locator(".assist-panel .assist-citation").first().waitFor({ timeout: 10_000 });
      await page.click(".composer .send");
      await panel.waitFor({ state: "hidden" });
      // Sent as drafted: the suggestion went out, and the panel stayed closed.
      await expect.poll(() => messageCount(), { timeout: 10_000 }).toBeGreaterThan(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await panel.isHidden()).toBe(true);

      await page.click("[data-assist=summary]");
      await page.locator(".assist-summary").waitFor({ timeout: 10_000 });
      await page.click("[data-action=resolve]");
      await panel.waitFor({ state: "hidden" });
      expect(await panel.textContent()).toBe("");
    },
    T,
  );
});

describe("reports", () => {
  it(
    "draws the charts for the period and offers the CSV export",
    async () => {
      await page.click("[data-nav=reports]");
      await page.locator(".reports .stat-value").first().waitFor();
      for (const id of ["per-day", "containment", "reasons", "times", "csat"]) {
        await page.locator(`[data-chart=${id}] canvas`).waitFor({ timeout: 10_000 });
      }
      // Drawn: each canvas has coloured pixels.
      const painted = await page.$$eval("[data-chart] canvas", (canvases) =>
        canvases.map((c) => {
          const cv = c as HTMLCanvasElement;
          const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
          return n;
        }),
      );
      expect(painted).toHaveLength(5);
      for (const n of painted) expect(n).toBeGreaterThan(500);
      const { rows: week } = await app.ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM conversations WHERE created_at >= now() - interval '7 days'",
      );
      expect(await page.locator(".stat-value").first().textContent()).toBe(String(week[0]!.n));
      await shot("reports-charts.png");

      const href = await page.locator("[data-export=daily]").getAttribute("href");
      expect(href).toMatch(/^\/api\/v1\/reports\/export\.csv\?from=.*&kind=daily$/);
      const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
      expect(csv.split("\r\n")[0]).toBe(
        "day,conversations,handed_off,bot_resolved,containment_rate,first_response_median_seconds,resolution_median_seconds,csat_average,answers_helpful,answers_not_helpful,helpful_rate",
      );
      await page.locator("[data-export=conversations]").waitFor();

      // A custom range with nothing in it shows the empty states, not broken charts.
      await page.fill("input[aria-label=From]", "2020-01-01");
      await page.fill("input[aria-label=To]", "2020-01-02");
      await page.locator("[data-chart=per-day] .details-hint", { hasText: "No conversations in this period." }).waitFor();
      expect(pageErrors).toEqual([]);
    },
    T,
  );
});
