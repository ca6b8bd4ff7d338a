/**
 * `bankdesk user`: the way back in for an installer who lost the printed demo
 * password, and the console's user management from a shell, audited as the
 * console's is. Runs the real CLI on an embedded database.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPGlite } from "../../server/db/pglite.ts";
import { verifyPassword } from "../../server/auth/password.ts";
import { seedEmbeddedDataDir } from "../helpers/testDatabase.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;

function bankdesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "server/cli/bin.mjs"), "user", ...args],
      { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", REDIS_URL: "", LOG_LEVEL: "silent" }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-user-cli-"));
  seedEmbeddedDataDir(path.join(dir, "pg"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("bankdesk user", () => {
  it("lists, resets a password, deactivates and reactivates, and keeps the last admin", async () => {
    expect((await bankdesk("create", "--role", "admin", "--email", "boss@bank.example", "--name", "Boss")).code).toBe(0);
    expect((await bankdesk("create", "--role", "agent", "--email", "li.na@bank.example", "--name", "Li Na")).code).toBe(0);

    const reset = await bankdesk("reset-password", "--email", "LI.NA@bank.example");
    expect(reset.code).toBe(0);
    const password = reset.stdout.match(/^Password reset for LI\.NA@bank\.example password: (\S+)\n$/)![1]!;

    expect((await bankdesk("deactivate", "--email", "li.na@bank.example")).stdout).toBe("Deactivated li.na@bank.example\n");
    const list = await bankdesk("list");
    expect(list.stdout.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^boss@bank\.example\s+admin\s+active\s+Boss$/),
      expect.stringMatching(/^li\.na@bank\.example\s+agent\s+deactivated\s+Li Na$/),
    ]);
    expect((await bankdesk("activate", "--email", "li.na@bank.example")).code).toBe(0);

    // The only admin cannot be deactivated (as in the console); an unknown address says how to find one.
    const last = await bankdesk("deactivate", "--email", "boss@bank.example");
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/^bankdesk: .*admin/i);
    const unknown = await bankdesk("reset-password", "--email", "nobody@bank.example");
    expect(unknown.stderr).toContain("bankdesk user list");

    const db = await openPGlite({ dataDir: path.join(dir, "pg") });
    try {
      const agent = (
        await db.query<{ password_hash: string; disabled_at: Date | null }>(
          "SELECT password_hash, disabled_at FROM agents WHERE email = $1",
          ["li.na@bank.example"],
        )
      ).rows[0]!;
      expect(await verifyPassword(password, agent.password_hash)).toBe(true);
      expect(agent.disabled_at).toBeNull();
      const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'agent.%' ORDER BY id");
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(["agent.password_reset", "agent.deactivate", "agent.reactivate"]),
      );
      expect(JSON.stringify((await db.query("SELECT data FROM audit_log")).rows)).not.toContain(password);
    } finally {
      await db.close();
    }
  }, 240_000);

  it("resets a user's two-factor sign-in and signs them out, on record", async () => {
    expect((await bankdesk("create", "--role", "agent", "--email", "two.fa@bank.example", "--name", "Two Fa")).code).toBe(0);
    // As if they had set it up and were signed in (the console's part is tests/integration/twoFactor.test.ts).
    let db = await openPGlite({ dataDir: path.join(dir, "pg") });
    try {
      const { id } = (await db.query<{ id: string }>("SELECT id FROM agents WHERE email = 'two.fa@bank.example'")).rows[0]!;
      await db.query("UPDATE agents SET totp_secret = 'sealed:v1:x:y:z', totp_enabled_at = now(), totp_last_step = 1 WHERE id = $1", [id]);
      await db.query("INSERT INTO agent_recovery_codes (agent_id, code_hash) VALUES ($1, 'h')", [id]);
      await db.query(
        "INSERT INTO agent_sessions (token_hash, agent_id, csrf_token, expires_at) VALUES ('t', $1, 'c', now() + interval '1 hour')",
        [id],
      );
    } finally {
      await db.close();
    }
    const reset = await bankdesk("reset-2fa", "--email", "Two.FA@bank.example");
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe("Two-factor sign-in reset for Two.FA@bank.example: signed out everywhere\n");
    db = await openPGlite({ dataDir: path.join(dir, "pg") });
    try {
      const row = (
        await db.query<{ totp_secret: string | null; totp_enabled_at: Date | null; codes: number; sessions: number }>(
          `SELECT totp_secret, totp_enabled_at,
                  (SELECT count(*)::int FROM agent_recovery_codes c WHERE c.agent_id = a.id) AS codes,
                  (SELECT count(*)::int FROM agent_sessions s WHERE s.agent_id = a.id) AS sessions
           FROM agents a WHERE email = 'two.fa@bank.example'`,
        )
      ).rows[0]!;
      expect(row).toEqual({ totp_secret: null, totp_enabled_at: null, codes: 0, sessions: 0 });
      const audit = await db.query<{ actor_type: string; data: { email: string } }>(
        "SELECT actor_type, data FROM audit_log WHERE action = 'agent.two_factor_reset'",
      );
      expect(audit.rows).toEqual([
        { actor_type: "system", data: expect.objectContaining({ email: "two.fa@bank.example", sessionsEnded: 1 }) },
      ]);
    } finally {
      await db.close();
    }
  }, 240_000);
});
