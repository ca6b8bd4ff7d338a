/**
 * Single sign-on in the console, in headless Chromium: the sign-in page's "Sign in with
 * <provider>" button, the real identity provider's (oidc-provider's) login and consent
 * pages, and back in the console's inbox; the TOTP step after the provider for an agent
 * with two-factor sign-in; the messages for a user BankDesk does not know and for a
 * sign-in weaker than the bank requires.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, watchPage } from "../helpers/browser.ts";
import { freeLoopbackPort, startTestIdentityProvider, type TestIdentityProvider } from "../helpers/oidcProvider.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { totpCode, totpStep } from "../../server/twoFactor/totp.ts";
import { base32Decode } from "../../server/twoFactor/base32.ts";
import { sealTotpSecret } from "../../server/twoFactor/twoFactorSecret.ts";

const T = 30_000;
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
let app: TestApp;
let idp: TestIdentityProvider;
let browser: Browser;

beforeAll(async () => {
  const port = await freeLoopbackPort();
  const redirect = `http://127.0.0.1:${port}/auth/sso/callback`;
  idp = await startTestIdentityProvider({
    redirectUris: [redirect],
    users: [
      { sub: "u-sam", email: "sam.sso@bayviewbank.example", name: "Sam" },
      { sub: "u-tess", email: "tess.sso@bayviewbank.example", name: "Tess" },
      { sub: "u-who", email: "who@bayviewbank.example" },
    ],
  });
  app = await startTestApp({
    port,
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_REDIRECT_URL: redirect,
      OIDC_PROVIDER_NAME: "Bayview Login",
    },
  });
  for (const email of ["sam.sso@bayviewbank.example", "tess.sso@bayviewbank.example"]) {
    await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split(".")[0]!, role: "agent", password: "lantern-ferry-orchid-42" });
  }
  await app.db.query("UPDATE agents SET totp_secret = $1, totp_enabled_at = now() WHERE email = 'tess.sso@bayviewbank.example'", [
    sealTotpSecret(app.ctx.secrets, SECRET),
  ]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await idp?.close();
});

/** From the console's sign-in page through the provider's login and consent pages. */
async function throughProvider(page: Page, login: string) {
  await page.goto(`${app.url}/console`);
  const button = page.locator("a[data-action=sso]");
  await button.waitFor();
  expect(await button.textContent()).toBe("Sign in with Bayview Login");
  await button.click();
  await page.locator("input[name=login]").waitFor();
  expect(page.url().startsWith(idp.issuer)).toBe(true);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "whatever-the-provider-checks");
  await page.click("button[type=submit]");
  await page.locator("button:has-text('Continue')").waitFor();
  await page.click("button:has-text('Continue')");
}

describe("single sign-on in the console", () => {
  it(
    "signs an agent in through the identity provider and lands in the inbox",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
      const page = await context.newPage();
      const watch = watchPage(page);
      await throughProvider(page, "u-sam");
      await page.locator(".sidebar").waitFor();
      expect(new URL(page.url()).pathname.startsWith("/console")).toBe(true);
      expect(new URL(page.url()).hash).toBe("");
      const me = await page.evaluate(async () => (await (await fetch("/api/v1/auth/me")).json()) as { agent: { email: string } });
      expect(me.agent.email).toBe("sam.sso@bayviewbank.example");
      expect(watch.errors).toEqual([]);
      await context.close();
    },
    T * 2,
  );

  it(
    "asks an agent with two-factor sign-in for the code after the provider",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
      const page = await context.newPage();
      await throughProvider(page, "u-tess");
      await page.locator("#totp-code").waitFor();
      // The challenge has left the address bar.
      expect(new URL(page.url()).hash).toBe("");
      await page.fill("#totp-code", totpCode(base32Decode(SECRET), totpStep()));
      await page.click("button:has-text('Verify')");
      await page.locator(".sidebar").waitFor();
      await context.close();
    },
    T * 2,
  );

  it(
    "tells a user without a BankDesk account what to do",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
      const page = await context.newPage();
      await throughProvider(page, "u-who");
      await expect.poll(() => page.locator(".login-error").textContent()).toContain("no BankDesk account for your e-mail");
      expect(await page.locator(".sidebar").count()).toBe(0);
      await context.close();
    },
    T * 2,
  );

  it(
    "tells an agent whose sign-in at the provider was not strong enough",
    async () => {
      app.ctx.config.OIDC_AMR_VALUES = "mfa hwk";
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
        const page = await context.newPage();
        await throughProvider(page, "u-sam");
        await expect
          .poll(() => page.locator(".login-error").textContent())
          .toContain("without the strong authentication BankDesk requires");
        expect(await page.locator(".sidebar").count()).toBe(0);
        await context.close();
      } finally {
        app.ctx.config.OIDC_AMR_VALUES = undefined;
      }
    },
    T * 2,
  );
});
