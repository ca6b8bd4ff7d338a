import { chromium, type Browser, type BrowserContextOptions, type BrowserServer, type Download, type Page } from "playwright-core";

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

export const CHROMIUM_PATH = "/usr/bin/chromium";
const LAUNCH = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

/** Launches the run's one Chromium (tests/helpers/globalSetup.ts); test files connect to it with `launchChromium`. */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(LAUNCH);
}

/**
 * A browser for one test file: a connection to the run's Chromium when the global setup
 * launched one (BANKDESK_TEST_CHROMIUM_WS), otherwise a Chromium of its own. Connecting
 * instead of launching one per file: 1.3 s less per file (4 browser files, their summed time
 * 71.8 -> 66.5 s under a load of 7 to 8), and one browser process less per worker. Each file
 * still works in contexts of its own, and `close()` closes them and disconnects. On a
 * connected browser a download has no `path()`: read it with `downloadedBytes`.
 */
export function launchChromium(): Promise<Browser> {
  const shared = process.env.BANKDESK_TEST_CHROMIUM_WS;
  return shared ? chromium.connect(shared) : chromium.launch(LAUNCH);
}

/** A download's content, read as a stream (works on a connected browser too, where `download.path()` throws). */
export async function downloadedBytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
