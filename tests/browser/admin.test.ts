/**
 * The console's admin area end to end in headless Chromium on a real server (the
 * per-file test database: PGlite, or PostgreSQL + Redis when configured): an admin
 * creates an agent, edits an inbox's working hours, adds a canned response and
 * reads the audit log; inline validation errors; an agent is refused the admin
 * pages (no entry in the sidebar, a "not allowed" page, 403 from the API).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, signInConsole, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { openIdentitySecret } from "../../server/auth/identity.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const ADMIN = { email: "ada.admin@bayviewbank.example", password: "admin-password-123" };
const AGENT = { email: "ben.agent@bayviewbank.example", password: "agent-password-123" };
const EVIL = "<img src=x onerror=alert(1)>";
const T = 30_000;

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;

async function shot(p: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await p.locator(".toast").evaluateAll((els) => els.forEach((e) => e.remove()));
  await p.mouse.move(0, 0);
  await p.screenshot({ path: path.join(ARTIFACTS, name) });
}

const signIn = (p: Page, who: { email: string; password: string }) => signInConsole(p, app.url, who);

async function audit(action: string) {
  return (
    await app.db.query<{ actor_id: string; data: Record<string, unknown> }>(
      "SELECT actor_id, data FROM audit_log WHERE action = $1 ORDER BY id",
      [action],
    )
  ).rows;
}

let adminId = "";

beforeAll(async () => {
  app = await startTestApp();
  const { rows: teams } = await app.db.query<{ id: string; slug: string }>("SELECT id, slug FROM teams");
  adminId = (await createAgent(app.ctx, { actor: SYSTEM, email: ADMIN.email, name: "Ada Admin", role: "admin", password: ADMIN.password }))
    .id;
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: AGENT.email,
    name: "Ben Agent",
    role: "agent",
    password: AGENT.password,
    teamIds: teams.filter((t) => t.slug === "cards").map((t) => t.id),
  });
  // A hostile display name must show as text in the admin tables.
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: "evil@bayviewbank.example",
    name: EVIL,
    role: "agent",
    password: "evil-password-123",
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
});

describe("console administration", () => {
  it(
    "shows admins the Administration entry and the agents table, hostile names as text",
    async () => {
      await signIn(page, ADMIN);
      await page.click("[data-nav=admin]");
      await page.waitForURL(/\/console\/admin\/agents$/);
      await page.locator(".admin-table").waitFor();
      expect(await page.locator(".admin-nav-item.active").textContent()).toBe("Agents");
      const evilRow = page.locator("tr", { has: page.locator(".person-sub", { hasText: "evil@bayviewbank.example" }) });
      expect(await evilRow.locator(".person-name").textContent()).toBe(EVIL);
      expect(await page.locator(".admin img").count()).toBe(0);
      await shot(page, "admin-agents.png");
    },
    T,
  );

  it(
    "shows the server's validation errors next to the fields",
    async () => {
      await page.click("[data-action=new-agent]");
      const modal = page.locator(".modal");
      await modal.waitFor();
      await modal.locator("input[name=name]").fill("Chen Jie");
      await modal.locator("input[name=email]").fill("not-an-email");
      await modal.locator("button[type=submit]").click();
      const err = modal.locator("[data-field=email] .af-error");
      await err.waitFor();
      expect(await err.textContent()).toBe("Not a valid e-mail address");
      expect(await modal.locator("[data-field=email]").getAttribute("class")).toContain("has-error");
      await modal.locator("input[name=password]").fill("short");
      await modal.locator("input[name=email]").fill("ada.admin@bayviewbank.example");
      await modal.locator("button[type=submit]").click();
      await modal.locator("[data-field=password] .af-error", { hasText: "At least 10 characters" }).waitFor();
      await shot(page, "admin-agent-errors.png");
      await page.keyboard.press("Escape");
      await modal.waitFor({ state: "detached" });
    },
    T,
  );

  it(
    "creates an agent, shows the generated password once, and audits it",
    async () => {
      await page.click("[data-action=new-agent]");
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("Chen Jie");
      await modal.locator("input[name=email]").fill("chen.jie@bayviewbank.example");
      await modal.locator("select[name=role]").selectOption("agent");
      await modal.locator("label.check", { hasText: "Cards" }).locator("input").check();
      await modal.locator("button[type=submit]").click();
      const secret = modal.locator("[data-secret]");
      await secret.waitFor();
      const password = (await secret.textContent())!;
      expect(password.length).toBeGreaterThanOrEqual(12);
      await shot(page, "admin-agent-created.png");
      await modal.locator("button", { hasText: "Done" }).click();
      await page.locator("tr[data-email='chen.jie@bayviewbank.example']").waitFor();
      expect(await page.locator("tr[data-email='chen.jie@bayviewbank.example'] td").nth(2).textContent()).toBe("Cards");

      const { rows } = await app.db.query<{ id: string; role: string }>(
        "SELECT id, role FROM agents WHERE email = 'chen.jie@bayviewbank.example'",
      );
      expect(rows[0]!.role).toBe("agent");
      const [entry] = await audit("agent.create").then((r) => r.filter((e) => e.data.email === "chen.jie@bayviewbank.example"));
      expect(entry!.actor_id).toBe(adminId);
      // The password shown works, and is nowhere in the audit log.
      const login = await fetch(`${app.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "chen.jie@bayviewbank.example", password }),
      });
      expect(login.status).toBe(200);
      expect(JSON.stringify((await app.db.query("SELECT data FROM audit_log")).rows)).not.toContain(password);
    },
    T,
  );

  it(
    "edits an inbox's working hours and time zone, with inline errors for impossible hours",
    async () => {
      await page.click(".admin-nav-item[data-section=inboxes]");
      await page.locator("tr[data-slug=website]").waitFor();
      await shot(page, "admin-inboxes.png");
      await page.locator("tr[data-slug=website] .row-link").click();
      await page.waitForURL(/\/console\/admin\/inboxes\/[0-9a-f-]{36}$/);
      await page.locator(".inbox-form").waitFor();

      // Monday closing before it opens: refused by the server, shown on Monday's row.
      await page.fill("input[name=open-1]", "18:00");
      await page.fill("input[name=close-1]", "09:00");
      await page.click("[data-action=save-inbox]");
      const monday = page.locator(".day-row[data-day='1'] .af-error");
      await monday.waitFor();
      expect(await monday.textContent()).toBe("Closing time must be after opening time");
      await page.locator(".day-row[data-day='1']").evaluate((e) => e.scrollIntoView({ block: "center" }));
      await shot(page, "admin-inbox-error.png");

      await page.fill("input[name=open-1]", "09:00");
      await page.fill("input[name=close-1]", "17:30");
      await page.locator("label.day-name", { hasText: "Sunday" }).locator("input").uncheck();
      await page.locator("select[name=timezone]").selectOption("Europe/London");
      await page.locator("label.toggle", { hasText: "Ask for a satisfaction rating" }).click();
      await page.locator("label.toggle", { hasText: "Ask anonymous visitors" }).click();
      await page.locator("select[name=prechat-email]").selectOption("required");
      await page.locator(".day-row[data-day='0'].closed").waitFor();
      await shot(page, "admin-inbox-hours.png");
      await page.click("[data-action=save-inbox]");
      await page.locator(".toast", { hasText: "saved" }).waitFor();

      const { rows } = await app.db.query<{ settings: Record<string, any> }>("SELECT settings FROM inboxes WHERE slug = 'website'"); // eslint-disable-line @typescript-eslint/no-explicit-any
      const s = rows[0]!.settings;
      expect(s.timezone).toBe("Europe/London");
      expect(s.workingHours["1"]).toEqual({ open: "09:00", close: "17:30" });
      expect(s.workingHours["2"]).toEqual({ open: "08:00", close: "22:00" });
      expect(s.workingHours["0"]).toBeUndefined();
      expect(s.csatEnabled).toBe(false);
      expect(s.preChatForm).toEqual({ enabled: true, fields: [{ name: "email", required: true }] });
      const [entry] = (await audit("inbox.update")).slice(-1);
      expect(entry!.actor_id).toBe(adminId);
      expect(entry!.data).toMatchObject({
        changes: { "settings.timezone": { from: "Asia/Shanghai", to: "Europe/London" }, "settings.csatEnabled": { from: true, to: false } },
      });
      // The editor shows the saved state after reloading it.
      await page.locator(".inbox-form").waitFor();
      expect(await page.locator("select[name=timezone]").inputValue()).toBe("Europe/London");
      await page.locator(".back-link").click();
      await page.locator("tr[data-slug=website]", { hasText: "Mon 09:00–17:30" }).waitFor();
    },
    T,
  );

  it(
    "rotates the identity secret and shows the new one once",
    async () => {
      await page.locator("tr[data-slug=website] .row-link").click();
      await page.locator("[data-action=rotate-secret]").click();
      await page.locator(".modal button[type=submit]", { hasText: "Rotate secret" }).click();
      const secret = page.locator(".secret-panel ~ div [data-secret]");
      await secret.waitFor();
      const value = (await secret.textContent())!;
      expect(value).toMatch(/^[0-9a-f]{64}$/);
      const stored = await app.db.query<{ identity_secret: string }>("SELECT identity_secret FROM inboxes WHERE slug = 'website'");
      // Stored sealed (security finding 7): the plain value shown once is not in the table.
      expect(stored.rows[0]!.identity_secret).not.toContain(value);
      expect(openIdentitySecret(app.ctx.secrets, stored.rows[0]!.identity_secret)).toBe(value);
      await shot(page, "admin-inbox-secret.png");
      expect(JSON.stringify((await app.db.query("SELECT data FROM audit_log")).rows)).not.toContain(value);
    },
    T,
  );

  it(
    "adds a canned response that agents then find in the reply box",
    async () => {
      await page.click(".admin-nav-item[data-section=canned-responses]");
      await page.locator("[data-action=new-canned]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=shortCode]").fill("card-abroad");
      await modal.locator("textarea[name=content]").fill("To pay abroad, open Bayview Mobile → Cards → Payments abroad and switch it on.");
      await modal.locator("button[type=submit]").click();
      await page.locator("tr[data-code=card-abroad]").waitFor();
      // A second one with the same code is refused, next to the field.
      await page.locator("[data-action=new-canned]").click();
      await modal.locator("input[name=shortCode]").fill("card-abroad");
      await modal.locator("textarea[name=content]").fill("Duplicate");
      await modal.locator("button[type=submit]").click();
      await modal.locator("[data-field=shortCode] .af-error", { hasText: "Already used" }).waitFor();
      await page.keyboard.press("Escape");
      await shot(page, "admin-canned.png");
      const { rows } = await app.db.query<{ content: string }>("SELECT content FROM canned_responses WHERE short_code = 'card-abroad'");
      expect(rows[0]!.content).toContain("Payments abroad");
      expect((await audit("canned_response.create")).at(-1)!.actor_id).toBe(adminId);
    },
    T,
  );

  it(
    "manages labels and shows every change in the audit log",
    async () => {
      await page.click(".admin-nav-item[data-section=teams]");
      await page.locator(".admin-table tr", { hasText: "Cards" }).first().waitFor();
      await shot(page, "admin-teams.png");
      await page.click(".admin-nav-item[data-section=labels]");
      await page.locator("[data-action=new-label]").click();
      const modal = page.locator(".modal");
      await modal.locator("input[name=name]").fill("Card fraud");
      await modal.locator("input[name=description]").fill("Suspected fraud on a card: involve the care team.");
      await modal.locator("button[type=submit]").click();
      await page.locator(".label-chip", { hasText: "card-fraud" }).waitFor();
      await shot(page, "admin-labels.png");

      await page.click(".admin-nav-item[data-section=audit-log]");
      await page.locator(".audit-table tbody tr").first().waitFor();
      for (const action of ["label.create", "canned_response.create", "inbox.update", "inbox.identity_secret_rotated", "agent.create"]) {
        await expect.poll(() => page.locator(`.audit-table tr[data-action='${action}']`).count(), { message: action }).toBeGreaterThan(0);
      }
      await page.locator("select[name=action]").selectOption("inbox.");
      await expect.poll(() => page.locator(".audit-table tr[data-action='label.create']").count()).toBe(0);
      // The filtered page may still be loading when the old rows are gone: wait for the new ones.
      await expect.poll(() => page.locator(".audit-table tr[data-action='inbox.update']").count()).toBeGreaterThan(0);
      await page.locator("select[name=action]").selectOption("");
      await page.locator(".audit-table tr[data-action='label.create']").first().waitFor();
      await shot(page, "admin-audit-log.png");
      expect(watch.dialogs).toBe(0);
      expect(watch.errors).toEqual([]);
    },
    T,
  );

  it(
    "refuses the admin pages to an agent: no entry, a clear page, 403 from the API",
    async () => {
      const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: "en-GB" });
      const p = await agentContext.newPage();
      try {
        await signIn(p, AGENT);
        expect(await p.locator("[data-nav=admin]").count()).toBe(0);
        await p.goto(`${app.url}/console/admin/agents`);
        const refused = p.locator("[data-testid=admin-forbidden]");
        await refused.waitFor();
        expect(await refused.locator("h1").textContent()).toBe("You don't have access to administration");
        expect(await p.locator(".admin-table").count()).toBe(0);
        await shot(p, "admin-forbidden.png");
        await p.goto(`${app.url}/console/admin/inboxes/00000000-0000-0000-0000-000000000000`);
        await refused.waitFor();
        // The API refuses too, whatever the page shows.
        const status = await p.evaluate(async () => (await fetch("/api/v1/admin/agents", { credentials: "same-origin" })).status);
        expect(status).toBe(403);
        await refused.locator("button", { hasText: "Back to the inbox" }).click();
        await p.waitForURL(/\/console\/mine$/);
      } finally {
        await agentContext.close();
      }
    },
    T,
  );
});
