/**
 * Step-up verification in a real browser (issue #16 §3, "Done when"): a signed-in demo
 * customer asks to freeze a card, receives the code (the demo page's phone; then by
 * e-mail, captured by a test SMTP server), types it in the widget's code box, and the
 * card is frozen after their yes; a wrong and an expired code are refused. The agent
 * console's customer panel says how the customer was verified.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole, watchPage } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const T = 90_000;
const ADMIN = { email: "stepup.admin@bayviewbank.example", password: "correct-horse-battery-staple" };

let app: TestApp;
let browser: Browser;
let dataDir: string;
let smtp: SMTPServer;
const mails: Array<{ to: string; text: string }> = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-stepup-"));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      void simpleParser(stream).then((m) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), text: m.text ?? "" });
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as { port: number }).port;
  app = await startTestApp({
    env: {
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Bayview Bank <service@bayviewbank.example>",
    },
  });
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Step Admin", role: "admin", password: ADMIN.password });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newPage(locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale });
  contexts.push(context);
  return context.newPage();
}

const w = (page: Page, selector: string): Locator => page.locator("#bankdesk-widget").locator(selector);

/** The demo site, signed in as Wang Fang with the page's demo button (a signed identity, as a bank's page passes it). */
async function signedInDemo(page: Page) {
  await page.goto(`${app.url}/`);
  await w(page, ".bd-launcher").waitFor({ state: "visible" });
  await page.click("#demo-signin");
  await page.locator("#demo-status", { hasText: "Signed in as Wang Fang" }).waitFor();
  await w(page, ".bd-panel").waitFor({ state: "visible" });
  await w(page, '.bd-root[data-connected="true"]').waitFor({ state: "attached" });
}

async function send(page: Page, text: string) {
  await w(page, "textarea.bd-input").fill(text);
  await w(page, "textarea.bd-input").press("Enter");
}

const botSays = (page: Page, text: string | RegExp) => w(page, ".bd-row--bot .bd-bubble").filter({ hasText: text }).last().waitFor();
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;
const cardStatus = async (kind: "debit" | "credit") =>
  (await app.db.query<{ status: string }>("SELECT status FROM demo_cards WHERE customer_id = 'C-1001' AND kind = $1", [kind])).rows[0]!
    .status;

async function typeCode(page: Page, code: string) {
  const box = w(page, ".bd-stepup");
  await box.locator("input").fill(code);
  await box.locator("button[type=submit]").click();
}

describe("step-up verification in the widget", () => {
  it(
    "the demo as npm start seeds it: the code for a freeze arrives on the demo page's phone and is typed in the code box",
    async () => {
      const page = await newPage();
      const watch = watchPage(page);
      await signedInDemo(page);
      await send(page, "please freeze my debit card");
      await botSays(page, /I've sent a 6-digit code to •••• 8001/);
      // The phone beside the chat shows the text (the demo's stand-in for an SMS).
      const text = page.locator("#demo-phone-texts li p").first();
      await text.waitFor();
      expect(await text.textContent()).toMatch(/^\d{6} is your code to freeze your card in our chat\. It expires in 5 minutes\./);
      // The code box: labelled, numeric, ready for the phone's one-time-code autofill.
      const input = w(page, ".bd-stepup input");
      expect(await input.getAttribute("inputmode")).toBe("numeric");
      expect(await input.getAttribute("autocomplete")).toBe("one-time-code");
      expect(await w(page, ".bd-stepup label").textContent()).toBe("One-time code");
      await page.screenshot({ path: path.join(ARTIFACTS, "stepup-demo-phone.png") });

      await typeCode(page, codeIn((await text.textContent())!));
      await botSays(page, /Thank you, that's confirmed\.\s+Do you want me to freeze your card ending 5678\?/);
      expect(await w(page, ".bd-stepup").count()).toBe(0);
      await w(page, ".bd-chip").filter({ hasText: "No, cancel" }).click();
      await botSays(page, "OK, I haven't changed anything.");
      expect(await cardStatus("debit")).toBe("active");
      expect(watch.errors).toEqual([]);
      await page.locator("#demo-signout").click();
    },
    T,
  );

  it(
    "by e-mail: a wrong code and an expired code are refused, a new code is sent, the right one freezes the card after a yes; agents see how the customer was verified",
    async () => {
      // The admin sets it in the console: high risk needs a code, sent by e-mail; a wrong combination is refused at its field.
      const consolePage = await newPage();
      await signInConsole(consolePage, app.url, ADMIN);
      const inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
      await consolePage.goto(`${app.url}/console/admin/inboxes/${inboxId}`);
      await consolePage.locator("select[name=stepup-high]").waitFor();
      expect(await consolePage.locator("select[name=stepup-channel]").inputValue()).toBe("demo_phone");
      await consolePage.selectOption("select[name=stepup-medium]", "code");
      await consolePage.selectOption("select[name=stepup-high]", "identity");
      await consolePage.click("[data-action=save-inbox]");
      await consolePage
        .locator('[data-field="settings.stepUp.high"] .af-error', { hasText: "High risk needs at least what medium risk needs" })
        .waitFor();
      await consolePage.selectOption("select[name=stepup-medium]", "identity");
      await consolePage.selectOption("select[name=stepup-high]", "code");
      await consolePage.selectOption("select[name=stepup-channel]", "email");
      await consolePage.click("[data-action=save-inbox]");
      await consolePage.locator(".toast", { hasText: "saved" }).waitFor();
      const saved = (await app.db.query<{ settings: { stepUp: unknown } }>("SELECT settings FROM inboxes WHERE id = $1", [inboxId]))
        .rows[0]!;
      expect(saved.settings.stepUp).toEqual({ low: "identity", medium: "identity", high: "code", channel: "email", validMinutes: 10 });
      const changed = await app.db.query<{ data: { changes: Record<string, unknown> } }>(
        "SELECT data FROM audit_log WHERE action = 'inbox.update' AND target_id = $1 ORDER BY created_at DESC LIMIT 1",
        [inboxId],
      );
      expect(JSON.stringify(changed.rows[0]?.data)).toContain("stepUp");

      const page = await newPage();
      const watch = watchPage(page);
      await signedInDemo(page);
      const sent = mails.length;
      await send(page, "please freeze my debit card");
      await botSays(page, /I've sent a 6-digit code to w•••@example\.com/);
      await expect.poll(() => mails.length, { timeout: 10_000 }).toBe(sent + 1);
      const mail = mails.at(-1)!;
      // To the address the bank has on file, not the one the page passed (it passes the same here; the integration test differs them).
      expect(mail.to).toBe("wang.fang@example.com");
      const code = codeIn(mail.text);

      const status = w(page, ".bd-stepup-status");
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
      await typeCode(page, wrong);
      await status.filter({ hasText: "That code isn't right. 4 attempts left." }).waitFor();
      expect(await w(page, ".bd-stepup input").getAttribute("aria-invalid")).toBe("true");
      await page.screenshot({ path: path.join(ARTIFACTS, "stepup-wrong-code.png") });

      // Five minutes pass (the challenge's clock moved back): the right code is refused as expired.
      await app.db.query(
        "UPDATE step_up_challenges SET expires_at = now() - interval '1 second', sent_at = now() - interval '301 seconds' WHERE status = 'pending'",
      );
      await typeCode(page, code);
      await status.filter({ hasText: "This code has expired." }).waitFor();
      expect(await cardStatus("debit")).toBe("active");
      await page.screenshot({ path: path.join(ARTIFACTS, "stepup-expired.png") });

      // A new code, by e-mail again.
      await w(page, ".bd-stepup-resend").click();
      await status.filter({ hasText: "We've sent a new code to w•••@example.com." }).waitFor();
      await expect.poll(() => mails.length, { timeout: 10_000 }).toBe(sent + 2);
      await typeCode(page, codeIn(mails.at(-1)!.text));
      await botSays(page, /Do you want me to freeze your card ending 5678\?/);
      expect(await cardStatus("debit")).toBe("active");
      await send(page, "yes");
      await botSays(page, /Done — your card ending 5678 is now frozen/);
      expect(await cardStatus("debit")).toBe("frozen");
      expect(watch.errors).toEqual([]);

      // The agent console: the customer panel says how this customer was verified.
      const { rows } = await app.db.query<{ conversation_id: string }>(
        "SELECT conversation_id FROM step_up_challenges WHERE status = 'verified' AND channel = 'email' ORDER BY verified_at DESC LIMIT 1",
      );
      await consolePage.goto(`${app.url}/console/all/${rows[0]!.conversation_id}`);
      const panel = consolePage.locator(".facts-verification");
      await panel.waitFor({ timeout: 15_000 });
      expect(await panel.textContent()).toMatch(/Page identitySigned by the bank's site/);
      expect(await panel.textContent()).toMatch(/Step-upCode by e-mail to w•••@example\.com at .* \(counts until /);
      await consolePage.screenshot({ path: path.join(ARTIFACTS, "stepup-console-panel.png") });
    },
    T,
  );

  it(
    "speaks Chinese: the request, the text with the code and the code box are in the customer's language",
    async () => {
      const page = await newPage("zh-CN");
      await signedInDemo(page);
      const sent = mails.length;
      await send(page, "帮我冻结信用卡");
      await botSays(page, /冻结银行卡前需要验证是您本人。6 位验证码已发送至 w•••@example\.com/);
      await expect.poll(() => mails.length, { timeout: 10_000 }).toBe(sent + 1);
      const mail = mails.at(-1)!;
      expect(mail.text).toMatch(/^验证码 \d{6}，用于在线客服中冻结银行卡，5 分钟内有效。请勿告诉任何人/);
      expect(await w(page, ".bd-stepup .bd-card-title").textContent()).toBe("验证是您本人");
      expect(await w(page, ".bd-stepup label").textContent()).toBe("一次性验证码");
      const code = codeIn(mail.text);
      await typeCode(page, String((Number(code) + 1) % 1_000_000).padStart(6, "0"));
      await w(page, ".bd-stepup-status").filter({ hasText: "验证码不正确，还可以尝试 4 次。" }).waitFor();
      await typeCode(page, code);
      await botSays(page, /验证成功，谢谢。\s+确认要冻结尾号 4321 的银行卡吗？/);
      expect(await cardStatus("credit")).toBe("active");
      await page.screenshot({ path: path.join(ARTIFACTS, "stepup-zh.png") });
    },
    T,
  );
});
