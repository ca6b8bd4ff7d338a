/**
 * `bankdesk access-log verify` and `bankdesk privacy export|erase`: the real CLI on an
 * embedded database, as an operator runs them for an audit or a customer's request.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPGlite } from "../../server/db/pglite.ts";
import { migrate } from "../../server/db/migrate.ts";
import type { Database } from "../../server/db/Database.ts";
import { appendAccess } from "../../server/accessLog/recordAccess.ts";
import { seedEmbeddedDataDir } from "../helpers/testDatabase.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;
let contactId = "";

function bankdesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "server/cli/bin.mjs"), ...args],
      { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", REDIS_URL: "", LOG_LEVEL: "silent" }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Opens the CLI's database between commands (the embedded database takes one process at a time). */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openPGlite({ dataDir: path.join(dir, "pg") });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-privacy-cli-"));
  seedEmbeddedDataDir(path.join(dir, "pg"));
  await withDb(async (db) => {
    await migrate(db); // already done when seeded from the run's template
    const agent = (
      await db.query<{ id: string }>(
        "INSERT INTO agents (email, name, role, password_hash) VALUES ('a@example.com', 'A', 'agent', 'x') RETURNING id",
      )
    ).rows[0]!.id;
    const inbox = (
      await db.query<{ id: string }>(
        "INSERT INTO inboxes (slug, name, channel, identity_secret) VALUES ('web', 'Web', 'web', 'x') RETURNING id",
      )
    ).rows[0]!.id;
    contactId = (await db.query<{ id: string }>("INSERT INTO contacts (name, email) VALUES ('Wang Fang', 'wang@example.com') RETURNING id"))
      .rows[0]!.id;
    const conv = (
      await db.query<{ id: string }>("INSERT INTO conversations (inbox_id, contact_id) VALUES ($1, $2) RETURNING id", [inbox, contactId])
    ).rows[0]!.id;
    await db.query(
      "INSERT INTO messages (conversation_id, seq, message_type, sender_type, content) VALUES ($1, 1, 'incoming', 'contact', '我的卡丢了')",
      [conv],
    );
    await db.query("INSERT INTO legal_holds (contact_id, reason) VALUES ($1, 'Court order')", [contactId]);
    for (let i = 0; i < 3; i++) {
      await appendAccess(db, {
        actor: { type: "agent", id: agent, role: "agent", teamIds: [] },
        subjectType: "conversation",
        subjectId: conv,
        conversationId: conv,
      });
    }
  });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("bankdesk access-log verify", () => {
  it("reports an intact chain, then the first edited row with exit code 1", async () => {
    const ok = await bankdesk("access-log", "verify");
    expect(ok).toMatchObject({ code: 0, stdout: "Access log intact: 3 row(s), last id 3\n" });
    await withDb(async (db) => {
      await db.query("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only");
      await db.query("UPDATE access_log SET subject_type = 'contact' WHERE id = 2");
      await db.query("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only");
    });
    const broken = await bankdesk("access-log", "verify", "--json");
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toEqual({ ok: false, rows: 1, lastId: "2", firstBroken: { id: "2", reason: "hash_mismatch" } });
  }, 120_000);
});

describe("bankdesk privacy", () => {
  it("exports a customer's data as JSON, refuses to erase under a hold, and erases once it is released", async () => {
    const exported = await bankdesk("privacy", "export", "--contact", contactId);
    expect(exported.code).toBe(0);
    const data = JSON.parse(exported.stdout);
    expect(data.contact).toMatchObject({ id: contactId, name: "Wang Fang", email: "wang@example.com" });
    expect(data.conversations[0].messages[0].content).toBe("我的卡丢了");
    expect(data.legalHolds).toEqual([expect.objectContaining({ reason: "Court order" })]);

    const refused = await bankdesk("privacy", "erase", "--contact", contactId);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/legal hold/);
    await withDb((db) => db.query("UPDATE legal_holds SET released_at = now()"));

    const erased = await bankdesk("privacy", "erase", "--contact", contactId);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/^Erased contact .*: 1 conversation\(s\), 1 message\(s\)/);
    await withDb(async (db) => {
      expect((await db.query("SELECT name, email FROM contacts WHERE id = $1", [contactId])).rows[0]).toEqual({ name: null, email: null });
      expect((await db.query("SELECT count(*)::int AS n FROM conversations")).rows[0]).toEqual({ n: 0 });
      expect((await db.query("SELECT action, actor_type FROM audit_log WHERE action LIKE 'privacy.%' ORDER BY id")).rows).toEqual([
        { action: "privacy.exported", actor_type: "system" },
        { action: "privacy.erased", actor_type: "system" },
      ]);
    });
    expect((await bankdesk("privacy", "erase", "--contact", "not-a-uuid")).stderr).toMatch(/UUID/);
  }, 180_000);
});
