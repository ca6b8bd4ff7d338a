/**
 * One customer in the console, in headless Chromium on a real server: an agent records
 * a vulnerability with the customer's consent in the profile panel, merges the
 * customer's e-mail contact into them with "Merge into…" (one timeline), and undoes
 * the merge from the profile's history; a merge BankDesk made by itself on a verified
 * e-mail address shows as automatic and is undone the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, openPage, signInConsole, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { openCase } from "../../server/cases/commands/openCase.ts";
import { finalResponseDate } from "../../server/cases/jurisdictions.ts";
import { emailIdentityHash, openIdentitySecret } from "../../server/auth/identity.ts";
import { createChannelInbox } from "../integration/channels/channelHelpers.ts";
import { demoIdentityHash } from "../helpers/testApp.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const ADMIN = { email: "ada.admin@bayviewbank.example", password: "admin-password-123" };
const T = 30_000;

let app: TestApp;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let widgetContact = "";
let widgetConv = "";
let mailContact = "";
let mailConv = "";
let complainant = "";
let complainantConv = "";

beforeAll(async () => {
  app = await startTestApp();
  await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Ada Admin", role: "admin", password: ADMIN.password });
  const inbox = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  const contact = async (name: string, email: string) =>
    (await app.db.query<{ id: string }>("INSERT INTO contacts (name, email) VALUES ($1, $2) RETURNING id", [name, email])).rows[0]!.id;
  const conv = async (contactId: string) =>
    (
      await app.db.query<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id, status) VALUES ($1, $2, 'open') RETURNING id", [
        inbox,
        contactId,
      ])
    ).rows[0]!.id;
  widgetContact = await contact("Li Na", "li.na@example.com");
  widgetConv = await conv(widgetContact);
  mailContact = await contact("Na Li (mail)", "nali.mail@example.com");
  mailConv = await conv(mailContact);
  complainant = await contact("Zhao Lei", "zhao.lei@example.com");
  complainantConv = await conv(complainant);
  browser = await launchChromium();
  ({ page, watch } = await openPage(browser, { viewport: { width: 1400, height: 900 } }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const owner = async (conversationId: string) =>
  (await app.db.query<{ contact_id: string }>("SELECT contact_id FROM conversations WHERE id = $1", [conversationId])).rows[0]!.contact_id;

describe("one customer in the console", () => {
  it(
    "records a vulnerability, merges the e-mail contact in, and undoes the merge",
    async () => {
      await signInConsole(page, app.url, ADMIN);
      await page.goto(`${app.url}/console/all/${widgetConv}`);

      // The vulnerability flag: refused without consent, saved with it.
      await page.locator(".details [data-action=record-vulnerability]").click();
      await page.locator(".modal select[name=kind]").selectOption("financial_difficulty");
      await page.locator(".modal textarea[name=note]").fill("Lost her job in March");
      await page.locator(".modal button[type=submit]").click();
      await page.locator(".modal [data-field=consentConfirmed] .af-error:not([hidden])").waitFor();
      await page.locator(".modal input[name=consentConfirmed]").check();
      await page.locator(".modal button[type=submit]").click();
      await page.locator(".details [data-vulnerability=financial_difficulty]", { hasText: "Lost her job in March" }).waitFor();
      expect((await app.db.query("SELECT kind FROM contact_vulnerabilities WHERE contact_id = $1", [widgetContact])).rows).toEqual([
        { kind: "financial_difficulty" },
      ]);

      // Merge the e-mail contact into this customer: open its conversation, search, pick, merge.
      await page.goto(`${app.url}/console/all/${mailConv}`);
      await page.locator(".details [data-action=merge-contact]").click();
      await page.locator(".modal input[name=q]").fill("li.na@");
      await page.locator(`.modal [data-contact-id="${widgetContact}"]`).click();
      await page.locator(".modal button[type=submit]").click();
      await expect.poll(() => owner(mailConv)).toBe(widgetContact);
      // The panel now shows the surviving customer: both conversations, the merge with its undo.
      await page.locator(".details .callout", { hasText: "was merged into this customer" }).waitFor();
      await page.locator(".details [data-merge-id] [data-action=undo-merge]").waitFor();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "console-contact-merged.png") });

      await page.locator(".details [data-action=undo-merge]").click();
      await page.locator(".modal button[type=submit]").click();
      await expect.poll(() => owner(mailConv)).toBe(mailContact);
      expect(await owner(widgetConv)).toBe(widgetContact);
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );

  it(
    "shows a merge made on a verified e-mail address as automatic, and undoes it",
    async () => {
      const token = "browser-merge-inbound-token-0123";
      await createChannelInbox(app.ctx, "email", "mail", {
        address: "help@bank.example",
        inboundToken: token,
        authServId: "mx.bank.example",
      });
      const sent = await fetch(`${app.url}/webhooks/email/mail`, {
        method: "POST",
        headers: { "content-type": "message/rfc822", authorization: `Bearer ${token}` },
        body: [
          "Authentication-Results: mx.bank.example; dmarc=pass header.from=mail.example",
          "From: Qian Yu <qian.yu@mail.example>",
          "To: help@bank.example",
          "Subject: Card declined",
          "Message-ID: <auto-merge-1@mail.example>",
          "",
          "Why was my card declined?",
          "",
        ].join("\r\n"),
      });
      const emailConv = ((await sent.json()) as { conversationId: string }).conversationId;
      const emailContact = await owner(emailConv);
      const secret = openIdentitySecret(
        app.ctx.secrets,
        (await app.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE slug = 'website'")).rows[0]!
          .identity_secret,
      );
      const session = await fetch(`${app.url}/api/v1/widget/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          inbox: "website",
          userId: "C3001",
          identityHash: await demoIdentityHash(app.ctx, "C3001"),
          email: "qian.yu@mail.example",
          emailHash: emailIdentityHash("C3001", "qian.yu@mail.example", secret),
        }),
      });
      const customer = ((await session.json()) as { contact: { id: string } }).contact.id;
      expect(await owner(emailConv)).toBe(customer);

      await page.goto(`${app.url}/console/all/${emailConv}`);
      const by = page.locator(".details [data-merge-id] [data-merge-by]");
      await by.waitFor();
      expect(await by.getAttribute("data-merge-by")).toBe("automatic");
      expect(await by.textContent()).toContain("automatically: same verified e-mail");
      await page.locator(".details [data-action=undo-merge]").click();
      await page.locator(".modal button[type=submit]").click();
      await expect.poll(() => owner(emailConv)).toBe(emailContact);
      expect(watch.errors).toEqual([]);
    },
    T * 2,
  );

  it(
    "marks a customer with an open complaint, lists it with its reference and due date, and turns the marker to Dispute when one is opened",
    async () => {
      const complaint = (
        await openCase(app.ctx, {
          actor: SYSTEM,
          conversationId: complainantConv,
          summary: "Overdraft fee charged twice",
          source: "agent",
          language: "en",
        })
      ).case;
      await page.goto(`${app.url}/console/all/${complainantConv}`);
      const marker = page.locator(".details [data-complaint-marker]");
      await marker.waitFor();
      expect(await marker.getAttribute("data-complaint-marker")).toBe("complaint");
      expect(await marker.textContent()).toBe("Open complaint");
      const item = page.locator(`.details [data-open-case="${complaint.id}"]`);
      expect(await item.locator(".conv-item-id").textContent()).toBe(complaint.reference);
      expect(await item.locator("[data-due-date]").textContent()).toContain(`Final response due ${finalResponseDate(complaint)}`);

      // The assistant opens a dispute for the same customer while the agent looks: the panel follows.
      const dispute = (
        await openCase(app.ctx, {
          actor: SYSTEM,
          conversationId: complainantConv,
          summary: "Card payment the customer does not recognise",
          source: "agent",
          language: "en",
          details: {
            kind: "disputed_transaction",
            transactionId: "T-77",
            amount: 3280,
            currency: "CNY",
            merchant: "Unknown",
            date: "2026-12-01",
          },
        })
      ).case;
      await page.locator(".details [data-complaint-marker=dispute]", { hasText: "Dispute" }).waitFor();
      await page.locator(`.details [data-open-case="${dispute.id}"] [data-case-kind=dispute]`).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "console-profile-open-complaints.png") });

      // Closed cases leave the marker.
      await app.db.query("UPDATE cases SET status = 'closed', closed_at = now() WHERE contact_id = $1", [complainant]);
      await page.goto(`${app.url}/console/all/${complainantConv}`);
      await page.locator(".details .profile-name", { hasText: "Zhao Lei" }).waitFor();
      await page.locator(".details h3", { hasText: "Complaint cases (2)" }).waitFor();
      expect(await page.locator(".details [data-complaint-marker]").count()).toBe(0);
      expect(await page.locator(".details .open-cases").count()).toBe(0);
      expect(watch.errors).toEqual([]);
    },
    T * 2,
  );
});
