import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";

/** Debian's Chromium, headless, with nothing reaching for the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** What a page did that a test should see: dialogs it opened (dismissed) and errors (exceptions, console errors, CSP violations). */
export interface PageWatch {
  dialogs: number;
  errors: string[];
}

/**
 * Dismisses and counts the page's dialogs (an `alert` from injected markup would show
 * up here) and collects its errors, except the console's "Failed to load resource"
 * lines for the 4xx answers the tests provoke on purpose.
 */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { dialogs: 0, errors: [] };
  page.on("dialog", async (d) => {
    watch.dialogs++;
    await d.dismiss();
  });
  page.on("pageerror", (e) => watch.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) watch.errors.push(m.text());
  });
  return watch;
}

/** A page in a fresh browser context (its own cookies and storage), watched as `watchPage` does. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page; watch: PageWatch }> {
  const page = await (await browser.newContext(options)).newPage();
  return { page, watch: watchPage(page) };
}

/** Signs in through the console's own form and waits for the console (its sidebar) to show. */
export async function signInConsole(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.locator("#email").waitFor();
  await page.fill("#email", who.email);
  await page.fill("#password", who.password);
  await page.click("button[type=submit]");
  await page.locator(".sidebar").waitFor();
}
