/**
 * More of the agent console in Chromium, on a real server (embedded database or
 * PostgreSQL, demo seed): the CSAT arriving live after the customer rates, an
 * agent refused another team's conversation, the list filters, the reports'
 * sentiment and unanswered-question panels with team/inbox filters, and an agent
 * attaching an image and a PDF to a reply.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Socket } from "socket.io-client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { connectWidget, emitAck, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { SYSTEM } from "../../server/actor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const PASSWORD = "console-more-browser-pw";
const T = 40_000;

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let teams: Record<string, string> = {};
let inboxId = "";
let watch: PageWatch;
const sockets: Socket[] = [];

async function shot(p: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await p.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
  await p.mouse.move(0, 0);
  await p.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function contact(name: string) {
  return (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ($1) RETURNING id", [name])).rows[0]!.id;
}

/** An open conversation (with the humans, so the assistant stays out of it) of a team, with a customer message. */
async function openConversation(contactId: string, team: string | null, text: string, extra: { labels?: string[] } = {}) {
  const c = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  await app.db.query("UPDATE conversations SET team_id = $2, labels = $3 WHERE id = $1", [c.id, team, extra.labels ?? []]);
  await postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: text });
  return c.id;
}

const signIn = (p: Page, email: string) => signInConsole(p, app.url, { email, password: PASSWORD });

beforeAll(async () => {
  app = await startTestApp({ env: { KNOWLEDGE_DIR: path.join(ROOT, "knowledge") } });
  const rows = (await app.db.query<{ id: string; slug: string }>("SELECT id, slug FROM teams")).rows;
  teams = Object.fromEntries(rows.map((t) => [t.slug, t.id]));
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "mei.wong@bayviewbank.example",
    name: "Mei Wong",
    role: "agent",
    password: PASSWORD,
    teamIds: Object.values(teams),
  });
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "tom.deposits@bayviewbank.example",
    name: "Tom Deposits",
    role: "agent",
    password: PASSWORD,
    teamIds: [teams.deposits!],
  });

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: "en-GB" });
  page = await context.newPage();
  watch = watchPage(page);
  await signIn(page, "mei.wong@bayviewbank.example");
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await app?.close();
});

describe("console: CSAT, permissions, filters, reports, attachments", () => {
  it(
    "shows the customer's rating live after they rate the resolved conversation",
    async () => {
      const w = await connectWidget(app, { name: "Olivia Grant" });
      sockets.push(w.socket);
      const contactId = (w.session.contact as { id: string }).id;
      const id = await openConversation(contactId, teams.cards!, "My new card hasn't arrived yet.");
      await page.goto(`${app.url}/console/all/${id}`);
      await page.locator(".conv-name", { hasText: "Olivia Grant" }).waitFor();
      await page.click("[data-action=resolve]");
      await page.locator(".conv-header .status-resolved").waitFor();

      await emitAck(w.socket, "csat", { conversationId: id, rating: 4, comment: "Quick and kind" });
      await page.locator(".conv-header .csat-chip[data-csat='4']").waitFor({ timeout: 10_000 });
      await page.locator(".toast", { hasText: "4 / 5" }).waitFor();
      expect(await page.locator(".toast", { hasText: "4 / 5" }).textContent()).toContain("Quick and kind");
      await page.locator(".details .details-csat", { hasText: "4/5" }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "console-csat-live.png") });
      // After a reload it's still there (GET /conversations/{id} carries it).
      await page.reload();
      await page.locator(".conv-header .csat-chip[data-csat='4']").waitFor();
    },
    T,
  );

  it(
    "refuses another team's conversation to an agent who isn't in it, typed into the address bar",
    async () => {
      const id = await openConversation(await contact("Card Only Customer"), teams.cards!, "Private to the cards team");
      const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: "en-GB" });
      const p2 = await ctx2.newPage();
      try {
        await signIn(p2, "tom.deposits@bayviewbank.example");
        await p2.goto(`${app.url}/console/all/${id}`);
        await p2.locator(".conv-denied", { hasText: "You can't open this conversation" }).waitFor();
        expect(await p2.locator(".msg-in").count()).toBe(0);
        expect(await p2.textContent("body")).not.toContain("Private to the cards team");
        const status = await p2.evaluate(async (u) => (await fetch(u)).status, `/api/v1/conversations/${id}`);
        expect([403, 404]).toContain(status);
        const msgs = await p2.evaluate(async (u) => (await fetch(u)).status, `/api/v1/conversations/${id}/messages`);
        expect([403, 404]).toContain(msgs);
        await shot(p2, "console-not-allowed.png");
        await p2.click(".conv-denied button");
        await p2.waitForURL(/\/console\/all$/);
      } finally {
        await ctx2.close();
      }
    },
    T,
  );

  it(
    "filters the list by team, inbox, label and status, keeps the filters across views, and clears them",
    async () => {
      await openConversation(await contact("Filter Fraud"), teams.care!, "Someone used my card abroad", { labels: ["fraud-case"] });
      await openConversation(await contact("Filter Deposit"), teams.deposits!, "What's the rate on a 1-year deposit?", {
        labels: ["rates"],
      });
      await page.click("[data-nav=all]");
      await page.locator(".conv-item", { hasText: "Filter Fraud" }).waitFor();
      // The label vocabulary comes from /labels; add the ones used here.
      await app.db.query("INSERT INTO labels (name) VALUES ('fraud-case'), ('rates') ON CONFLICT DO NOTHING");
      await page.reload();
      await page.locator(".conv-item", { hasText: "Filter Fraud" }).waitFor();

      await page.selectOption("select[data-filter=label]", "fraud-case");
      await expect.poll(() => page.locator(".conv-item").count(), { timeout: 5000 }).toBe(1);
      expect(await page.locator(".conv-item .conv-item-name").textContent()).toBe("Filter Fraud");
      expect(await page.locator(".list-clear").isVisible()).toBe(true);

      await page.selectOption("select[data-filter=label]", "");
      await page.selectOption("select[data-filter=teamId]", teams.deposits!);
      await page.locator(".conv-item", { hasText: "Filter Deposit" }).waitFor();
      await expect.poll(() => page.locator(".conv-item", { hasText: "Filter Fraud" }).count(), { timeout: 5000 }).toBe(0);
      await page.selectOption("select[data-filter=inboxId]", inboxId);
      await page.selectOption("select[data-filter=status]", "open");
      await page.locator(".conv-item", { hasText: "Filter Deposit" }).waitFor();
      await shot(page, "console-list-filters.png");

      // Unassigned has no status choice, but the team and inbox filters carry over.
      await page.click("[data-nav=unassigned]");
      await page.waitForURL(/\/console\/unassigned$/);
      expect(await page.locator("select[data-filter=status]").count()).toBe(0);
      expect(await page.locator("select[data-filter=teamId]").inputValue()).toBe(teams.deposits);
      await page.locator(".conv-item", { hasText: "Filter Deposit" }).waitFor();
      await expect.poll(() => page.locator(".conv-item", { hasText: "Filter Fraud" }).count(), { timeout: 5000 }).toBe(0);

      // Nothing matches: the empty state says so and offers to clear.
      await page.selectOption("select[data-filter=sentiment]", "positive");
      await page.locator(".list-items .empty", { hasText: "No matches" }).waitFor();
      await page.click(".list-clear");
      await page.locator(".conv-item", { hasText: "Filter Fraud" }).waitFor();
      expect(await page.locator("select[data-filter=teamId]").inputValue()).toBe("");
      expect(await page.locator(".list-clear").isVisible()).toBe(false);
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "draws the sentiment trend and lists the top unanswered questions, redacted, per team",
    async () => {
      // History: conversations with a sentiment over the last days, and questions the assistant declined.
      const who = await contact("Report Customer");
      const day = (d: number, h = 0) => new Date(Date.now() - d * 86_400_000 + h * 60_000);
      for (let d = 1; d <= 5; d++) {
        for (let i = 0; i < 3; i++) {
          const label = (d + i) % 3 === 0 ? "negative" : (d + i) % 3 === 1 ? "neutral" : "positive";
          const score = label === "negative" ? -0.7 : label === "neutral" ? 0.05 : 0.6;
          const team = i === 0 ? teams.cards! : teams.deposits!;
          const { rows } = await app.db.query<{ id: string }>(
            `INSERT INTO conversations (inbox_id, contact_id, status, created_at, team_id, sentiment_label, sentiment_score)
             VALUES ($1, $2, 'resolved', $3, $4, $5, $6) RETURNING id`,
            [inboxId, who, day(d, i), team, label, score],
          );
          const question =
            i === 0
              ? `Can I pay my card 4111 1111 1111 1111 bill with crypto? Call 13812345678`
              : i === 1
                ? "Do you offer pet insurance?"
                : "Can I pay my taxes at the branch?";
          const q = await app.db.query<{ id: string }>(
            "INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, created_at) VALUES ($1, 1, 'incoming', 'contact', $2, $3) RETURNING id",
            [rows[0]!.id, question, day(d, i)],
          );
          await app.db.query(
            `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, content_attributes, created_at)
             VALUES ($1, 2, 'outgoing', 'bot', 'Sorry, I can''t answer that.', $2, $3)`,
            [rows[0]!.id, JSON.stringify({ replyTo: q.rows[0]!.id, declined: d % 2 === 1 || i !== 2 }), day(d, i + 1)],
          );
        }
      }
      await page.click("[data-nav=reports]");
      await page.locator("[data-chart=sentiment] canvas").waitFor({ timeout: 10_000 });
      const rows = page.locator("[data-panel=unanswered] tbody tr");
      await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(3);
      const first = await rows.nth(0).locator("td").allTextContents();
      expect(first[1]).toBe("5");
      const table = await page.locator("[data-panel=unanswered]").textContent();
      expect(table).toContain("[card ****1111]");
      expect(table).not.toMatch(/4111 1111|13812345678/);
      expect(table).toContain("Do you offer pet insurance?");
      // Painted.
      const painted = await page.$eval("[data-chart=sentiment] canvas", (c) => {
        const cv = c as HTMLCanvasElement;
        const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(painted).toBeGreaterThan(500);
      await page.locator("[data-panel=unanswered]").scrollIntoViewIfNeeded();
      await shot(page, "reports-sentiment-unanswered.png");

      // Only the cards team: its one question, and the export link carries the filter.
      const summary = page.waitForResponse((r) => r.url().includes("/reports/summary") && r.url().includes(`teamId=${teams.cards}`));
      await page.selectOption("select[aria-label='Report team']", teams.cards!);
      await summary;
      await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(1);
      expect(await rows.nth(0).locator("td").first().textContent()).toContain("crypto");
      expect(await page.locator("[data-export=daily]").getAttribute("href")).toContain(`teamId=${teams.cards}`);
      await page.selectOption("select[aria-label='Report inbox']", inboxId);
      await page.locator("[data-chart=sentiment] canvas").waitFor();
      await page.selectOption("select[aria-label='Report team']", "");
      await page.selectOption("select[aria-label='Report inbox']", "");
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "attaches an image and a PDF to a reply: chips while composing, a thumbnail and a link in the thread",
    async () => {
      const w = await connectWidget(app, { name: "Attachment Customer" });
      sockets.push(w.socket);
      const contactId = (w.session.contact as { id: string }).id;
      const id = await openConversation(contactId, teams.cards!, "Can you send me the form?");
      await page.goto(`${app.url}/console/all/${id}`);
      await page.locator(".conv-name", { hasText: "Attachment Customer" }).waitFor();

      // An image worth showing: a screenshot of the reports' stat cards.
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 300 } });
      const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
      const input = page.locator(".composer input[type=file]");
      await input.setInputFiles([
        { name: "card-form.png", mimeType: "image/png", buffer: png },
        { name: "dispute-form.pdf", mimeType: "application/pdf", buffer: pdf },
      ]);
      await page.locator(".file-chip[data-state=ready]").nth(1).waitFor();
      // A disguised program is refused, with the reason on its chip.
      await input.setInputFiles({ name: "form.png", mimeType: "image/png", buffer: Buffer.from("MZ\x90\x00\x03 this is a program") });
      await page.locator(".file-chip[data-state=error]", { hasText: "Only images" }).waitFor();
      await page.locator(".composer-input").fill("Here's the dispute form, and the card form as a picture.");
      await shot(page, "console-composer-attachments.png");
      await page.locator(".file-chip[data-state=error] .chip-x").click();
      await page.locator(".composer-input").press("Enter");

      const msg = page.locator(".msg-agent:not(.pending)", { hasText: "dispute form" });
      await msg.waitFor();
      const img = msg.locator(".attachment-image img");
      await img.waitFor();
      await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);
      expect(await msg.locator("a.attachment", { hasText: "dispute-form.pdf" }).getAttribute("href")).toMatch(
        /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/,
      );
      await shot(page, "console-thread-attachments.png");

      const { rows } = await app.db.query<{ attachments: Array<{ name: string; contentType: string }> }>(
        "SELECT attachments FROM messages WHERE conversation_id = $1 AND sender_type = 'agent'",
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.attachments.map((a) => [a.name, a.contentType])).toEqual([
        ["card-form.png", "image/png"],
        ["dispute-form.pdf", "application/pdf"],
      ]);
      // The customer gets the message with both files.
      const { rows: stored } = await app.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM attachments WHERE conversation_id = $1 AND message_id IS NOT NULL",
        [id],
      );
      expect(stored[0]!.n).toBe(2);
      expect(watch.errors).toEqual([]);
    },
    T,
  );
});
