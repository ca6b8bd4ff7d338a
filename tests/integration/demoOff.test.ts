import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";

/**
 * Security finding 6, as a production server runs (DEMO_SEED off, the default with
 * NODE_ENV=production): no demo API, no demo inbox, and not the made-up bank's pages,
 * which the audit after the fix still found served at the root.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { DEMO_SEED: "false" } });
});
afterAll(() => app?.close());

describe("without the demo", () => {
  it("serves neither the demo API nor the demo bank's site; the root leads to the console", async () => {
    const identity = await fetch(`${app.url}/api/v1/demo/identity`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "C-1001" }),
    });
    expect(identity.status).toBe(404);
    const root = await fetch(`${app.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/console");
    expect((await fetch(`${app.url}/index.html`)).status).toBe(404);
    expect((await app.db.query("SELECT 1 FROM inboxes WHERE slug = 'website'")).rowCount).toBe(0);
    expect((await fetch(`${app.url}/widget.js`)).status).toBe(200);
  });
});
