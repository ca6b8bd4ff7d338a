import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedEmbeddedDataDir } from "../helpers/testDatabase.ts";
import {
  FIXTURE_KNOWLEDGE,
  INTENTS,
  connectWidget,
  connectVerifiedCustomer,
  emitAck,
  nextEvent,
  pageIdentityOnly,
  signInAgent,
  startTestApp,
  type TestApp,
} from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import type { PGliteDatabase } from "../../server/db/pglite.ts";
import { openDemoBank } from "../../server/banking/referenceServer/demoBank.ts";
import { startReferenceServer, type ReferenceServer } from "../../server/banking/referenceServer/referenceServer.ts";

/**
 * BankDesk with CORE_BANKING_URL pointing at the reference server: the assistant and
 * the console read and write the bank's core over HTTP (OAuth2), and when the core
 * stops answering the customer hears that our systems are busy and is handed off,
 * never left waiting.
 */
let bank: { db: PGliteDatabase };
let core: ReferenceServer;
let app: TestApp;
const CLIENT = { clientId: "bankdesk", clientSecret: "integration-test-secret" };

beforeAll(async () => {
  const demo = await openDemoBank();
  bank = demo;
  // The bank's figures differ from BankDesk's own demo tables: an answer with them came over HTTP.
  await demo.db.query("UPDATE demo_accounts SET balance_cents = 777777 WHERE customer_id = 'C-1002' AND kind = 'current'");
  core = await startReferenceServer({ core: demo.core, oauth: CLIENT });
  app = await startTestApp({
    env: {
      CORE_BANKING_URL: core.url,
      CORE_BANKING_TOKEN_URL: core.tokenUrl,
      CORE_BANKING_CLIENT_ID: CLIENT.clientId,
      CORE_BANKING_CLIENT_SECRET: CLIENT.clientSecret,
      CORE_BANKING_TIMEOUT_MS: "1000",
      CORE_BANKING_READ_RETRIES: "0",
      CORE_BANKING_BREAKER_FAILURES: "2",
      CORE_BANKING_BREAKER_RESET_MS: "600000",
    },
  });
  await pageIdentityOnly(app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
  await bank?.db.close();
});

type Msg = { id: string; conversationId: string; content: string; sender: { type: string }; attributes: Record<string, unknown> };
type Ack = { ok: boolean; message?: Msg };

async function customer(id: string) {
  return await connectVerifiedCustomer(app, id);
}

async function ask(socket: Awaited<ReturnType<typeof connectWidget>>["socket"], content: string, conversationId?: string) {
  const botReply = nextEvent<Msg>(socket, "message", (m) => m.sender.type === "bot");
  const ack = await emitAck<Ack>(socket, "message:send", { conversationId, clientId: crypto.randomUUID(), content });
  expect(ack.ok).toBe(true);
  return { ack: ack.message!, reply: await botReply };
}

describe("the assistant and the console on a core system over HTTP", () => {
  it("answers a verified customer's balance question from the bank's core", async () => {
    const { socket } = await customer("C-1002");
    const before = core.stats.requests.accounts ?? 0;
    const { reply } = await ask(socket, "what's my balance?");
    expect(reply.content).toContain("¥7,777.77");
    expect(reply.content).toContain("•••• 0000");
    expect(core.stats.requests.accounts).toBe(before + 1);
    socket.disconnect();
  });

  it("freezes the card in the bank's core, after the customer's yes", async () => {
    const { socket } = await customer("C-1002");
    const confirm = await ask(socket, "please freeze my debit card");
    expect(confirm.reply.content).toMatch(/freeze your card ending 0000\?/);
    const done = await ask(socket, "yes", confirm.ack.conversationId);
    expect(done.reply.content).toMatch(/now frozen/);
    const { rows } = await bank.db.query<{ status: string }>(
      "SELECT status FROM demo_cards WHERE customer_id = 'C-1002' AND kind = 'debit'",
    );
    expect(rows[0]!.status).toBe("frozen");
    // BankDesk's own demo tables were not touched: the change went to the core.
    const local = await app.db.query("SELECT 1 FROM demo_cards WHERE customer_id = 'C-1002' AND status = 'frozen'");
    expect(local.rowCount).toBe(0);
    socket.disconnect();
  });

  it("reports a stolen card in the bank's core and tells the replacement it ordered, after the customer's yes", async () => {
    const { socket } = await customer("C-1002");
    const confirm = await ask(socket, "my credit card was stolen, report it and send me a replacement");
    expect(confirm.reply.content).toMatch(/card ending 8765 as stolen.*permanent/s);
    const done = await ask(socket, "yes", confirm.ack.conversationId);
    const { rows } = await bank.db.query<{ replacement_last4: string; estimated_delivery_on: Date }>(
      "SELECT replacement_last4, estimated_delivery_on FROM demo_card_replacements WHERE customer_id = 'C-1002'",
    );
    expect(rows).toHaveLength(1);
    // What the reply says came from the core's answer over HTTP.
    expect(done.reply.content).toContain(`ending ${rows[0]!.replacement_last4} is ordered`);
    expect(done.reply.content).toContain(rows[0]!.estimated_delivery_on.toISOString().slice(0, 10));
    const card = await bank.db.query<{ status: string }>("SELECT status FROM demo_cards WHERE customer_id = 'C-1002' AND kind = 'credit'");
    expect(card.rows[0]!.status).toBe("cancelled");
    socket.disconnect();
  });

  it("disputes a payment found in the bank's core: a case with the core's transaction, after the customer's yes", async () => {
    const { rows } = await bank.db.query<{ id: string; amount: string }>(
      `UPDATE demo_transactions SET description = 'Shenzhen Electronics Mall'
       WHERE id = (SELECT t.id FROM demo_transactions t JOIN demo_accounts a ON a.id = t.account_id
                   WHERE a.customer_id = 'C-1001' AND a.kind = 'credit' AND t.amount_cents < 0 ORDER BY t.posted_at DESC LIMIT 1)
       RETURNING id::text, (-amount_cents / 100)::text AS amount`,
    );
    const t = rows[0]!;
    const { socket } = await customer("C-1001");
    const confirm = await ask(socket, `I don't recognise this ¥${t.amount} payment, I want to dispute it`);
    expect(confirm.reply.content).toMatch(
      /^Open a dispute for ¥[\d,.]+ at Shenzhen Electronics Mall on \d{4}-\d{2}-\d{2}\? Reply yes or no\.$/,
    );
    const done = await ask(socket, "yes", confirm.ack.conversationId);
    const cases = await app.db.query<{ reference: string; details: { transactionId: string; merchant: string } }>(
      "SELECT reference, details FROM cases WHERE request_key LIKE 'dispute:%'",
    );
    expect(cases.rows).toHaveLength(1);
    expect(cases.rows[0]!.details).toMatchObject({ transactionId: t.id, merchant: "Shenzhen Electronics Mall" });
    expect(done.reply.content).toContain(`under reference ${cases.rows[0]!.reference}.`);
    expect(done.reply.attributes.quickReplies).toEqual([{ label: "Freeze my card", text: "freeze my credit card" }]);
    socket.disconnect();
  });

  it("shows an agent the customer's accounts from the core", async () => {
    await createAgent(app.ctx, {
      actor: SYSTEM,
      email: "lead@example.com",
      name: "Lead",
      role: "admin",
      password: "plum-orbit-canyon-lantern-42",
    });
    const agent = await signInAgent(app, "lead@example.com", "plum-orbit-canyon-lantern-42");
    const { rows } = await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1002'");
    const res = await fetch(`${app.url}/api/v1/contacts/${rows[0]!.id}`, { headers: { cookie: agent.cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { banking: { accounts: Array<{ balance: number }>; transactions: unknown[] } };
    expect(body.banking.accounts.map((a) => a.balance)).toContain(7777.77);
    expect(body.banking.transactions).toHaveLength(10);
  });

  it("lets the CLI chat as a verified customer against the core: a balance, then an unfreeze after a yes", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-cli-core-"));
    seedEmbeddedDataDir(path.join(dataDir, "pg"));
    const lines = [
      { conversation: "c", text: "what's my balance?" },
      { conversation: "c", text: "please unfreeze my debit card" },
      { conversation: "c", text: "yes" },
    ];
    try {
      const out = await new Promise<Array<{ reply: string; outcome: string }>>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [
            path.resolve(import.meta.dirname, "../../server/cli/bin.mjs"),
            "chat",
            "--customer",
            "C-1002",
            "--knowledge",
            FIXTURE_KNOWLEDGE,
            "--intents",
            INTENTS,
          ],
          {
            env: {
              ...process.env,
              DATA_DIR: dataDir,
              DATABASE_URL: "",
              REDIS_URL: "",
              LOG_LEVEL: "silent",
              CORE_BANKING_URL: core.url,
              CORE_BANKING_TOKEN_URL: core.tokenUrl,
              CORE_BANKING_CLIENT_ID: CLIENT.clientId,
              CORE_BANKING_CLIENT_SECRET: CLIENT.clientSecret,
            },
            timeout: 120_000,
          },
          (err, stdout) =>
            err
              ? reject(err)
              : resolve(
                  stdout
                    .trim()
                    .split("\n")
                    .map((l) => JSON.parse(l)),
                ),
        );
        child.stdin!.end(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      });
      expect(out[0]!.reply).toContain("¥7,777.77");
      expect(out[1]!.reply).toMatch(/unfreeze your card ending 0000\?/);
      expect(out[2]!.reply).toMatch(/active again/);
      const { rows } = await bank.db.query<{ status: string }>(
        "SELECT status FROM demo_cards WHERE customer_id = 'C-1002' AND kind = 'debit'",
      );
      expect(rows[0]!.status).toBe("active");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("says our systems are busy and hands off when the core does not answer, and stops calling it after failures in a row", async () => {
    // Connections dropped without an answer: the first failure.
    core.inject({ kind: "drop" }, { times: 1000 });
    const { socket } = await customer("C-1001");
    const handoff = nextEvent(socket, "handoff");
    const { ack, reply } = await ask(socket, "what's my balance?");
    await handoff;
    expect(reply.content).toMatch(/Our systems are busy right now/);
    expect(reply.content).not.toMatch(/¥/);
    expect(reply.attributes).toMatchObject({ kind: "handoff", reason: "core_banking_unavailable" });
    const c = await app.db.query<{ status: string; handoff_reason: string }>(
      "SELECT status, handoff_reason FROM conversations WHERE id = $1",
      [ack.conversationId],
    );
    expect(c.rows[0]).toEqual({ status: "open", handoff_reason: "core_banking_unavailable" });
    const note = await app.db.query<{ content: string }>(
      "SELECT content FROM messages WHERE conversation_id = $1 AND content_attributes->>'kind' = 'handoff_note'",
      [ack.conversationId],
    );
    expect(note.rows[0]!.content).toMatch(/core system did not answer/);
    socket.disconnect();

    // A slow core: the second failure, after the time-out, opens the breaker.
    core.clearFaults();
    core.inject({ kind: "delay", ms: 3000 }, { times: 1000 });
    const second = await customer("C-1001");
    const slow = await ask(second.socket, "what's my balance?");
    expect(slow.reply.content).toMatch(/Our systems are busy right now/);
    second.socket.disconnect();

    // Then the core is not called at all (it would answer now: the breaker stays open for its
    // reset time), and the customer hears it at once, in their language.
    core.clearFaults();
    const received = core.stats.received;
    const third = await customer("C-1001");
    const fast = await ask(third.socket, "我的余额是多少");
    expect(fast.reply.content).toMatch(/系统暂时繁忙/);
    expect(fast.reply.attributes).toMatchObject({ kind: "handoff", reason: "core_banking_unavailable" });
    expect(core.stats.received).toBe(received);
    third.socket.disconnect();
  });

  it("still shows an agent the contact and their conversations while the core is unavailable", async () => {
    const agent = await signInAgent(app, "lead@example.com", "plum-orbit-canyon-lantern-42");
    const { rows } = await app.db.query<{ id: string }>("SELECT id FROM contacts WHERE external_id = 'C-1001'");
    const res = await fetch(`${app.url}/api/v1/contacts/${rows[0]!.id}`, { headers: { cookie: agent.cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversations: unknown[]; banking: unknown; bankingError?: string };
    expect(body.banking).toBeNull();
    expect(body.bankingError).toBe("core_banking_unavailable");
    expect(body.conversations.length).toBeGreaterThanOrEqual(3);
  });
});
