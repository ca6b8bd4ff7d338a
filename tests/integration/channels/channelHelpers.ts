import http from "node:http";
import type { AddressInfo } from "node:net";
import { SYSTEM } from "../../../server/actor.ts";
import type { AppContext } from "../../../server/context.ts";
import type { InboxRow } from "../../../server/models/inboxes.ts";
import type { MessageRow } from "../../../server/models/conversations.ts";
import { createInbox } from "../../../server/commands/createInbox.ts";
import { configureChannel } from "../../../server/channels/commands/configureChannel.ts";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** Decides the answer to each request; the default answers 200 {}. */
  respond: (req: RecordedRequest) => { status: number; body?: unknown; type?: string };
  close(): Promise<void>;
}

/** A local HTTP server standing in for a provider (Twilio, Meta, WeChat, a webhook receiver): it records every request. */
export async function startRecorder(): Promise<Recorder> {
  const rec: Recorder = {
    url: "",
    requests: [],
    respond: () => ({ status: 200, body: {} }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      rec.requests.push(recorded);
      const out = rec.respond(recorded);
      const payload = typeof out.body === "string" ? out.body : JSON.stringify(out.body ?? {});
      res.writeHead(out.status, { "content-type": out.type ?? "application/json" }).end(payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.keepAliveTimeout = 1;
  return rec;
}

/** Creates an inbox of a channel with its provider settings, through the same commands an admin uses. */
export async function createChannelInbox(
  ctx: AppContext,
  channel: InboxRow["channel"],
  slug: string,
  config: Record<string, unknown>,
  settings: InboxRow["settings"] = { botEnabled: false },
): Promise<InboxRow> {
  const inbox = await createInbox(ctx, { actor: SYSTEM, slug, name: `Test ${channel} (${slug})`, channel, settings });
  await configureChannel(ctx, { actor: SYSTEM, inbox: inbox.id, config });
  return inbox;
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a reply's delivery to reach a final state (sent, failed...). */
export function finalDelivery(ctx: AppContext, messageId: string, ms = 15_000) {
  return eventually(
    async () => {
      const { rows } = await ctx.db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [messageId]);
      const d = rows[0]?.content_attributes?.delivery as
        { status: string; attempts: number; error?: string; providerId?: string } | undefined;
      return d && d.status !== "queued" && d.status !== "retrying" ? d : undefined;
    },
    ms,
    "the delivery status",
  );
}
