import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { callApi, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { seedEmbeddedDataDir } from "../helpers/testDatabase.ts";
import { SYSTEM } from "../../server/actor.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { identityHash } from "../../server/auth/identity.ts";
import { resealSecrets } from "../../server/commands/resealSecrets.ts";
import { sealedSecrets } from "../../server/modules.ts";
import { SecretBox } from "../../server/security/secretBox.ts";
import { createChannelInbox } from "./channels/channelHelpers.ts";

/**
 * Security finding 7: identity secrets, channel credentials and webhook signing
 * secrets are stored encrypted with a key derived from SECRET_KEY; plain text left
 * by an earlier version is encrypted at start; `bankdesk secrets rotate` moves
 * everything to a new key while the previous one is still accepted.
 */
const KEY = "k".repeat(40);
let app: TestApp;
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
  app = await startTestApp({ env: { SECRET_KEY: KEY } });
  await createAgent(app.ctx, { actor: SYSTEM, email: "keys@bank.example", name: "Keys", role: "admin", password: "correct-horse-battery" });
  admin = await signInAgent(app, "keys@bank.example", "correct-horse-battery");
});
afterAll(() => app?.close());

const api = (method: string, path: string, body?: unknown) => callApi(app, admin, method, path, body);

/** Every secret-bearing value in the database, as stored. */
async function storedSecrets(): Promise<string[]> {
  const inboxes = await app.db.query<{ identity_secret: string; channel_config: Record<string, unknown> | null }>(
    "SELECT identity_secret, channel_config FROM inboxes",
  );
  const hooks = await app.db.query<{ secret: string }>("SELECT secret FROM webhooks");
  return [
    ...inboxes.rows.map((r) => r.identity_secret),
    ...inboxes.rows.flatMap((r) =>
      ["authToken", "appSecret", "token", "webhookSecret", "accessToken", "appSecretProof"].flatMap((k) => {
        const v = r.channel_config?.[k];
        return typeof v === "string" ? [v] : [];
      }),
    ),
    ...hooks.rows.map((r) => r.secret),
  ];
}

describe("secrets at rest", () => {
  it("stores what an admin is shown once only in encrypted form, and still uses it", async () => {
    const created = await api("POST", "/admin/inboxes", { name: "Mobile", slug: "mobile-web", channel: "web" });
    expect(created.status).toBe(201);
    const identitySecret = created.body.identitySecret as string;
    const hook = await api("POST", "/webhooks", { url: "https://hooks.example.com/bd", events: ["conversation.created"] });
    const webhookSecret = hook.body.secret as string;
    await createChannelInbox(app.ctx, "sms", "keys-sms", {
      accountSid: "AC" + "cd".repeat(16),
      authToken: "twilio-auth-token-123",
      from: "+15005550006",
    });

    const dump =
      JSON.stringify((await app.db.query("SELECT * FROM inboxes")).rows) +
      JSON.stringify((await app.db.query("SELECT * FROM webhooks")).rows);
    for (const secret of [identitySecret, webhookSecret, "twilio-auth-token-123"]) expect(dump).not.toContain(secret);
    for (const value of await storedSecrets()) expect(value).toMatch(/^sealed:v1:/);

    // The sealed identity secret still verifies a customer signed with the plain one.
    const session = await fetch(`${app.url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inbox: "mobile-web", userId: "C-1001", identityHash: identityHash("C-1001", identitySecret) }),
    });
    expect(session.status).toBe(201);
    expect(((await session.json()) as { verified: boolean }).verified).toBe(true);
  });

  it("encrypts plain text left by an earlier version when the server starts", async () => {
    await app.db.query("UPDATE inboxes SET identity_secret = 'legacy-identity-secret-0123456789' WHERE slug = 'mobile-web'");
    await app.db.query("UPDATE webhooks SET secret = 'whsec_legacy'");
    const report = await resealSecrets(app.ctx, sealedSecrets, { plainOnly: true }); // what startApp runs first
    expect(report).toMatchObject({ resealed: 2, unreadable: [] });
    for (const value of await storedSecrets()) expect(value).toMatch(/^sealed:v1:/);
    const session = await fetch(`${app.url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        inbox: "mobile-web",
        userId: "C-1002",
        identityHash: identityHash("C-1002", "legacy-identity-secret-0123456789"),
      }),
    });
    expect(session.status).toBe(201);
  });

  it("rotates to a new SECRET_KEY with the old one in SECRET_KEY_PREVIOUS", async () => {
    const newKey = "n".repeat(40);
    const before = await storedSecrets();
    const rotating = new SecretBox(newKey, [KEY]);
    const report = await resealSecrets({ ...app.ctx, secrets: rotating }, sealedSecrets);
    expect(report.unreadable).toEqual([]);
    expect(report.resealed).toBe(before.length);
    const after = await storedSecrets();
    for (const value of after) expect(SecretBox.keyIdOf(value)).toBe(rotating.keyId);
    // A process still on the old key alone can no longer read them; the new key alone can.
    expect(() => app.ctx.secrets.open(after[0]!, "inboxes.identity_secret")).toThrow();
    expect(() => new SecretBox(newKey).open(after[0]!, "inboxes.identity_secret")).not.toThrow();
    // Nothing left to do on a second run.
    expect((await resealSecrets({ ...app.ctx, secrets: rotating }, sealedSecrets)).resealed).toBe(0);
    // Reports what no configured key opens, and leaves it as it is.
    const stranger = await resealSecrets({ ...app.ctx, secrets: new SecretBox("x".repeat(40)) }, sealedSecrets);
    expect(stranger.resealed).toBe(0);
    expect(stranger.unreadable.length).toBeGreaterThan(0);
    expect(stranger.unreadable.join("\n")).not.toMatch(/sealed:v1/);
  });
});

describe("bankdesk secrets rotate", () => {
  it("runs on the embedded database and says what it did", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-secrets-"));
    seedEmbeddedDataDir(path.join(dir, "pg"));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["server/cli/bin.mjs", "secrets", "rotate"], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", REDIS_URL: "", SECRET_KEY: KEY, LOG_LEVEL: "silent" },
        timeout: 120_000,
      });
      expect(stdout).toMatch(/^Re-encrypted 0 secret\(s\) with key [0-9a-f]{12}\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
