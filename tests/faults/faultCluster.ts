import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { FIXTURE_KNOWLEDGE, INTENTS } from "../helpers/testApp.ts";
import type { SimulatedCustomer } from "./SimulatedCustomer.ts";

const dataDirs: string[] = [];

/** Removes the DATA_DIRs `clusterEnv` made (call after the processes stopped). */
export function removeClusterDirs() {
  for (const d of dataDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** The environment every BankDesk process of one fault scenario shares (`removeClusterDirs` cleans up). */
export function clusterEnv(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-fault-"));
  dataDirs.push(dataDir);
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bdfault_${crypto.randomBytes(4).toString("hex")}`,
    SECRET_KEY: crypto.randomBytes(32).toString("hex"),
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
    INTENTS_DIR: INTENTS,
    KNOWLEDGE_WATCH: "false",
    AUTO_ASSIGN: "false",
    DEMO_SEED: "false",
    ...extra,
  };
}

/** Questions the offline assistant answers from the fixture knowledge without handing off. */
export const QUESTIONS = [
  "How much does a replacement card cost?",
  "Can I freeze my card in the app?",
  "How much is a replacement card?",
  "How do I freeze my card?",
];

export interface Ledger {
  /** Customer messages stored, per client id (must be 1 each). */
  stored: Map<string, number>;
  /** Incoming messages of conversations still with the bot, and how many bot replies each has. */
  botReplies: Array<{ messageId: string; replies: number }>;
  pendingConversations: number;
}

/** Reads what the database holds for these customers' conversations. */
export async function readLedger(databaseUrl: string, customers: SimulatedCustomer[]): Promise<Ledger> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = customers.map((c) => c.conversationId);
    const { rows: stored } = await client.query<{ client_id: string; n: number }>(
      `SELECT client_id, count(*)::int AS n FROM messages
       WHERE conversation_id = ANY($1::uuid[]) AND sender_type = 'contact' GROUP BY client_id`,
      [ids],
    );
    const { rows: replies } = await client.query<{ id: string; n: number }>(
      `SELECT m.id, (SELECT count(*)::int FROM messages b WHERE b.conversation_id = m.conversation_id AND b.client_id = 'bot:' || m.id) AS n
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.conversation_id = ANY($1::uuid[]) AND m.sender_type = 'contact' AND c.status = 'pending'`,
      [ids],
    );
    const { rows: pending } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM conversations WHERE id = ANY($1::uuid[]) AND status = 'pending'",
      [ids],
    );
    return {
      stored: new Map(stored.map((r) => [r.client_id, r.n])),
      botReplies: replies.map((r) => ({ messageId: r.id, replies: r.n })),
      pendingConversations: pending[0]!.n,
    };
  } finally {
    await client.end();
  }
}

/** Every message each customer generated is stored exactly once (nothing lost, nothing doubled). */
export function lostOrDoubled(ledger: Ledger, customers: SimulatedCustomer[]): string[] {
  const problems: string[] = [];
  for (const c of customers) {
    for (const id of c.generated) {
      const n = ledger.stored.get(id) ?? 0;
      if (n !== 1) problems.push(`${id}: stored ${n} times`);
    }
  }
  const known = new Set(customers.flatMap((c) => c.generated));
  for (const id of ledger.stored.keys()) if (!known.has(id)) problems.push(`${id}: stored but never sent`);
  return problems;
}
