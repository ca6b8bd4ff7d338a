import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { loadConfig } from "../../server/config.ts";
import { startApp, type App } from "../../server/app.ts";
import { createLogger } from "../../server/logger.ts";
import { ROOT } from "./data.ts";

/** A bot reply as the customer's widget receives it. */
export interface WidgetReply {
  text: string;
  answered: boolean;
  /** The labels of the reply's quick replies (the buttons under it). */
  quickReplies: string[];
}

/** A simulated customer's tap on one of the last reply's buttons (by its label), or none. */
export type Tap = (labels: string[]) => string | null;

/**
 * Customers on the real widget socket: each conversation is a new widget session on
 * the "website" inbox; each turn is sent with `message:send` and the bot's reply to
 * it (matched by `attributes.replyTo`) awaited. Against `url`, or a server started
 * here on a fresh embedded database with the demo bank (the README's `npm start`).
 */
export async function widgetChat(
  url?: string,
): Promise<{ converse(turns: string[], tap?: Tap): Promise<WidgetReply & { tapped?: WidgetReply }>; close(): Promise<void> }> {
  let app: App | undefined;
  let dataDir: string | undefined;
  if (!url) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-eval-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
      KNOWLEDGE_WATCH: "false",
      UNANSWERED_SWEEP: "false",
      DEMO_SEED: "true",
      LOG_LEVEL: "silent",
    });
    app = await startApp({ config, port: 0, logger: createLogger("silent") });
    url = app.url!;
  }
  const base = url.replace(/\/$/, "");

  async function session(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/api/v1/widget/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ inbox: "website" }),
      });
      if (res.status === 429 && attempt < 30) {
        await new Promise((r) => setTimeout(r, 2000));
        continue;
      }
      const body = (await res.json()) as { token?: string };
      if (res.status !== 201 || !body.token) throw new Error(`widget session: ${res.status} ${JSON.stringify(body)}`);
      return body.token;
    }
  }

  async function converse(turns: string[], tap?: Tap): Promise<WidgetReply & { tapped?: WidgetReply }> {
    const socket: Socket = io(`${base}/widget`, {
      auth: { token: await session() },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    try {
      let conversationId: string | undefined;
      let last: WidgetReply = { text: "", answered: false, quickReplies: [] };
      let tapped: WidgetReply | undefined;
      const sent = [...turns];
      for (let t = 0; t < sent.length; t++) {
        const content = sent[t]!;
        const replies = new Map<string, { content: string; attributes: Record<string, unknown> }>();
        const waiters = new Map<string, (m: { content: string; attributes: Record<string, unknown> }) => void>();
        const onMessage = (m: { content: string; sender: { type: string }; attributes: Record<string, unknown> }) => {
          const replyTo = m.attributes?.replyTo as string | undefined;
          if (m.sender?.type !== "bot" || !replyTo) return;
          const w = waiters.get(replyTo);
          if (w) w(m);
          else replies.set(replyTo, m);
        };
        socket.on("message", onMessage);
        const ack = (await socket
          .timeout(15_000)
          .emitWithAck("message:send", { conversationId, clientId: crypto.randomUUID(), content })) as {
          ok: boolean;
          message?: { id: string; conversationId: string };
          error?: { message: string };
        };
        if (!ack.ok || !ack.message) throw new Error(`message:send refused: ${ack.error?.message}`);
        conversationId = ack.message.conversationId;
        const id = ack.message.id;
        const reply =
          replies.get(id) ??
          (await new Promise<{ content: string; attributes: Record<string, unknown> }>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no bot reply to "${content}" within 15 s`)), 15_000);
            waiters.set(id, (m) => (clearTimeout(t), resolve(m)));
          }));
        socket.off("message", onMessage);
        const quotesGuide = Array.isArray(reply.attributes.citations) && reply.attributes.citations.length > 0;
        const buttons = Array.isArray(reply.attributes.quickReplies) ? (reply.attributes.quickReplies as Array<{ label: string }>) : [];
        const got: WidgetReply = {
          text: reply.content,
          answered: (reply.attributes.kind !== "handoff" || quotesGuide) && reply.attributes.declined !== true,
          quickReplies: buttons.map((b) => b.label),
        };
        if (t < turns.length) last = got;
        else tapped = got;
        // A handed-off conversation is the agents' now: the bot says nothing more.
        if (reply.attributes.kind === "handoff") break;
        const label = t === turns.length - 1 && tap ? tap(got.quickReplies) : null;
        if (label) sent.push(label);
      }
      return { ...last, ...(tapped ? { tapped } : {}) };
    } finally {
      socket.disconnect();
    }
  }

  return {
    converse,
    close: async () => {
      await app?.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
