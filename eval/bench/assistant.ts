import { loadConfig } from "../../server/config.ts";
import { startApp } from "../../server/app.ts";
import { createLogger } from "../../server/logger.ts";
import { openPGlite } from "../../server/db/pglite.ts";
import { migrate } from "../../server/db/migrate.ts";
import { io } from "socket.io-client";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, percentile, readJsonl } from "../lib/data.ts";

export interface ReplyFigures {
  n: number;
  ackP50: number;
  ackP95: number;
  replyP50: number;
  replyP95: number;
}

/**
 * Offline assistant reply latency on the embedded database, end to end through the
 * real server: a widget socket sends a customer question; we time the
 * acknowledgement (message stored) and the bot's reply event (reply stored and
 * broadcast). One conversation per question, sent one after another.
 */
export async function measureReplies(count = 200): Promise<ReplyFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-bench-"));
  const db = await openPGlite();
  await migrate(db);
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
    LOG_LEVEL: "silent",
    KNOWLEDGE_WATCH: "false",
    DEMO_SEED: "true",
    DATABASE_URL: "",
    REDIS_URL: "",
  });
  const app = await startApp({ config, db, port: 0, logger: createLogger("silent") });
  const questions = [
    ...readJsonl<{ text: string }>("retrieval-a.jsonl"),
    ...readJsonl<{ text: string }>("retrieval-b.jsonl"),
    ...readJsonl<{ text: string }>("handoff.jsonl"),
  ];
  const acks: number[] = [];
  const replies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${app.url}/api/v1/widget/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ inbox: "website" }),
      });
      const { token } = (await res.json()) as { token: string };
      const socket = io(`${app.url}/widget`, { auth: { token }, transports: ["websocket"], forceNew: true });
      await new Promise<void>((r) => socket.once("connect", () => r()));
      const t0 = performance.now();
      const bot = new Promise<void>((resolve) =>
        socket.on("message", (m: { sender: { type: string } }) => m.sender.type === "bot" && resolve()),
      );
      await socket.timeout(10_000).emitWithAck("message:send", { clientId: `b${i}`, content: questions[i % questions.length]!.text });
      acks.push(performance.now() - t0);
      await bot;
      replies.push(performance.now() - t0);
      socket.disconnect();
    }
  } finally {
    await app.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    n: count,
    ackP50: r(percentile(acks, 50)),
    ackP95: r(percentile(acks, 95)),
    replyP50: r(percentile(replies, 50)),
    replyP95: r(percentile(replies, 95)),
  };
}
