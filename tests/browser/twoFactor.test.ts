/**
 * Two-factor sign-in in the console, in headless Chromium on a real server: an
 * agent sets up an authenticator from the Security dialog (the code computed here
 * from the key the page shows), signs in with a code and then with a recovery
 * code; with two-factor required, an agent without it gets the set-up page first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { launchChromium, watchPage, type PageWatch } from "../helpers/browser.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { updateOrganisationSettings } from "../../server/commands/updateOrganisationSettings.ts";
import { SYSTEM } from "../../server/actor.ts";
import { totpCode, totpStep } from "../../server/twoFactor/totp.ts";
import { base32Decode } from "../../server/twoFactor/base32.ts";

const PASSWORD = "lantern-ferry-orchid-42";
const T = 30_000;
let app: TestApp;
let browser: Browser;

const codeOf = (secret: string, offset = 0) => totpCode(base32Decode(secret), totpStep() + offset);

async function newPage(): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-GB" });
  const page = await context.newPage();
  return { page, watch: watchPage(page) };
}

async function password(page: Page, email: string) {
  await page.goto(`${app.url}/console`);
  await page.locator("#email").waitFor();
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
}

/** Sets up an authenticator on the page in front of it; returns the key and the recovery codes shown. */
async function enrolOn(page: Page): Promise<{ secret: string; codes: string[] }> {
  await page.click("[data-action=start-enrolment]");
  const secret = (await page.locator(".secret-value").first().textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(await page.locator("[data-otpauth-uri]").textContent()).toContain(`secret=${secret}`);
  await page.fill("[data-role=totp-code]", codeOf(secret));
  await page.click("button:has-text('Turn on two-factor sign-in')");
  await page.locator("[data-recovery-codes] li").first().waitFor();
  const codes = (await page.locator("[data-recovery-codes] li").allTextContents()).map((c) => c.trim());
  return { secret, codes };
}

beforeAll(async () => {
  app = await startTestApp();
  for (const email of ["tina.tfa@bayviewbank.example", "uma.late@bayviewbank.example"]) {
    await createAgent(app.ctx, { actor: SYSTEM, email, name: email.split("@")[0]!, role: "agent", password: PASSWORD });
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("two-factor sign-in in the console", () => {
  it(
    "is set up from Security and then asks for a code, or a recovery code, after the password",
    async () => {
      const { page, watch } = await newPage();
      await password(page, "tina.tfa@bayviewbank.example");
      await page.locator(".sidebar").waitFor();
      await page.click("[data-action=security]");
      const { secret, codes } = await enrolOn(page);
      expect(codes).toHaveLength(10);
      await page.keyboard.press("Escape");
      await page.click("button[aria-label='Sign out']");

      await password(page, "tina.tfa@bayviewbank.example");
      await page.locator("#totp-code").waitFor();
      await page.fill("#totp-code", String((Number(codeOf(secret)) + 500_000) % 1_000_000).padStart(6, "0"));
      await page.click("button:has-text('Verify')");
      await expect.poll(() => page.locator(".login-error").textContent()).toContain("did not work");
      await page.fill("#totp-code", codeOf(secret, 1));
      await page.click("button:has-text('Verify')");
      await page.locator(".sidebar").waitFor();
      await page.click("button[aria-label='Sign out']");

      await password(page, "tina.tfa@bayviewbank.example");
      await page.click("[data-action=use-recovery-code]");
      await page.fill("#totp-code", codes[3]!);
      await page.click("button:has-text('Verify')");
      await page.locator(".sidebar").waitFor();
      expect(watch.errors).toEqual([]);
    },
    T * 3,
  );

  it(
    "shows an agent without it only the set-up when the organisation requires it",
    async () => {
      await updateOrganisationSettings(app.ctx, { actor: SYSTEM, changes: { requireStaffTwoFactor: true } });
      const { page } = await newPage();
      await password(page, "uma.late@bayviewbank.example");
      await page.locator("[data-view=enrolment-required]").waitFor();
      expect(await page.locator(".sidebar").count()).toBe(0);
      await enrolOn(page);
      await page.click("[data-action=continue]");
      await page.locator(".sidebar").waitFor();
    },
    T * 2,
  );
});
