/**
 * Security keys in the console, in headless Chromium with its virtual authenticator
 * (CDP WebAuthn domain) on a real server: an agent adds a key from the Security dialog,
 * signs out, signs in with password and key; then removes it, and the same key (a copy
 * of its credential in another browser, half-way through signing in) no longer signs in.
 * The page is opened as http://localhost: WebAuthn takes no IP address as relying party,
 * and outside production without configuration the relying party is localhost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, CDPSession, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const PASSWORD = "lantern-ferry-orchid-42";
const EMAIL = "kim.key@bayviewbank.example";
const PASSKEY_EMAIL = "pat.passkey@bayviewbank.example";
const T = 30_000;
let app: TestApp;
let browser: Browser;
let base: string;

async function newPage(): Promise<{ page: Page; watch: PageWatch; cdp: CDPSession; authenticatorId: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
  const page = await context.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { page, watch: watchPage(page), cdp, authenticatorId };
}

async function password(page: Page, email = EMAIL) {
  await page.goto(`${base}/console`);
  await page.locator("#email").waitFor();
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
}

const audited = async (action: string, email = EMAIL) =>
  (
    await app.db.query<{ data: Record<string, unknown> }>(
      "SELECT l.data FROM audit_log l JOIN agents a ON a.id = l.actor_id WHERE a.email = $1 AND l.action = $2 ORDER BY l.id",
      [email, action],
    )
  ).rows.map((r) => r.data);

beforeAll(async () => {
  app = await startTestApp();
  base = app.url.replace("127.0.0.1", "localhost");
  await createAgent(app.ctx, { actor: SYSTEM, email: EMAIL, name: "Kim Key", role: "agent", password: PASSWORD });
  await createAgent(app.ctx, { actor: SYSTEM, email: PASSKEY_EMAIL, name: "Pat Passkey", role: "agent", password: PASSWORD });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("security keys in the console", () => {
  it(
    "are added under Security, sign in after the password, and once removed sign nobody in",
    async () => {
      const { page, watch, cdp, authenticatorId } = await newPage();
      await password(page);
      await page.locator(".sidebar").waitFor();
      await page.click("[data-action=security]");
      await page.fill("[data-role=security-key-name]", "Laptop passkey");
      await page.click("[data-action=add-security-key]");
      await page.locator("[data-security-key='Laptop passkey']").waitFor();
      expect(await page.locator("[data-security-key='Laptop passkey']").textContent()).toContain("not used yet");
      expect(await audited("auth.security_key_added")).toEqual([expect.objectContaining({ name: "Laptop passkey" })]);
      await page.keyboard.press("Escape");
      await page.click("button[aria-label='Sign out']");

      // Password, then the key: no code field, since this agent has no authenticator app.
      await password(page);
      await page.locator("[data-action=use-security-key]").waitFor();
      expect(await page.locator("#totp-code").count()).toBe(0);
      await page.click("[data-action=use-security-key]");
      await page.locator(".sidebar").waitFor();
      expect((await audited("auth.login")).at(-1)).toEqual({ secondFactor: "security_key" });

      // Another browser with a copy of the key's credential gets as far as the key step ...
      const other = await newPage();
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      expect(credentials).toHaveLength(1);
      await other.cdp.send("WebAuthn.addCredential", { authenticatorId: other.authenticatorId, credential: credentials[0]! });
      await password(other.page);
      await other.page.locator("[data-action=use-security-key]").waitFor();

      // ... while the agent removes the key.
      await page.click("[data-action=security]");
      await page.locator("[data-security-key='Laptop passkey']").waitFor();
      expect(await page.locator("[data-security-key='Laptop passkey']").textContent()).toContain("last used");
      await page.click("[data-action=remove-security-key]");
      await page.click(".modal-foot button.btn-danger:has-text('Remove')");
      await page.locator("[data-view=security-keys] >> text=No security keys yet.").waitFor();
      expect(await audited("auth.security_key_removed")).toEqual([{ name: "Laptop passkey" }]);

      await other.page.click("[data-action=use-security-key]");
      await expect.poll(() => other.page.locator(".login-error").textContent()).toMatch(/security key/i);
      expect(await other.page.locator(".sidebar").count()).toBe(0);
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );

  it(
    "a passkey added under Security is renamed there, and signs in without e-mail or password",
    async () => {
      const { page, watch } = await newPage();
      await password(page, PASSKEY_EMAIL);
      await page.locator(".sidebar").waitFor();
      await page.click("[data-action=security]");
      await page.fill("[data-role=security-key-name]", "Laptop passkey");
      await page.click("[data-action=add-security-key]");
      await page.locator("[data-security-key='Laptop passkey']").waitFor();
      await page.click("[data-action=rename-security-key]");
      await page.fill("[data-role=security-key-rename]", "Work laptop");
      await page.click("[data-action=save-security-key-name]");
      await page.locator("[data-security-key='Work laptop']").waitFor();
      expect(await audited("auth.security_key_renamed", PASSKEY_EMAIL)).toEqual([{ from: "Laptop passkey", to: "Work laptop" }]);
      await page.keyboard.press("Escape");
      await page.click("button[aria-label='Sign out']");

      // No e-mail, no password: the browser offers the site's passkey, verified by the authenticator.
      await page.locator("[data-action=passkey-sign-in]").waitFor();
      await page.click("[data-action=passkey-sign-in]");
      await page.locator(".sidebar").waitFor();
      expect((await audited("auth.login", PASSKEY_EMAIL)).at(-1)).toEqual({ secondFactor: "passkey" });
      await page.screenshot({ path: "tests/artifacts/console-passkey-signed-in.png" });
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );
});
