import { io as connect, type Socket } from "socket.io-client";

type AckError = { code: string; message: string; retryable?: boolean };
type Ack = { ok: true; message: { id: string; seq: number }; duplicate?: boolean } | { ok: false; error: AckError };

/**
 * A customer as the widget client behaves (widget/src/widget.ts): messages go into
 * an outbox in order, each with its own client id; one is sent at a time and
 * leaves the outbox only when acknowledged. A refused (retryable), unanswered or
 * offline send is retried later with the same client id, and the socket
 * reconnects by itself. Retry delays are capped at 2 s (the widget goes up to
 * 15 s) to keep the fault tests short.
 */
export class SimulatedCustomer {
  readonly socket: Socket;
  conversationId = "";
  private readonly outbox: Array<{ clientId: string; content: string; firstSentAt: number }> = [];
  private n = 0;
  private flushing = false;
  private closed = false;
  /** client id → acknowledged message id. */
  readonly acked = new Map<string, string>();
  readonly generated: string[] = [];
  /** Every failed attempt: its error code (and whether the server said retryable). */
  readonly failures: Array<{ code: string; retryable: boolean; at: number }> = [];
  /** Time from first send to acknowledgement, per message (ms). */
  readonly latencies: number[] = [];
  duplicates = 0;

  private constructor(
    readonly name: string,
    readonly url: string,
    readonly token: string,
  ) {
    this.socket = connect(`${url}/widget`, {
      auth: { token },
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 1000,
    });
    this.socket.on("connect", () => void this.flush());
    // Like the widget: a server-side disconnect (e.g. a node asking its sockets to resync) is followed by a reconnect.
    this.socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect" && !this.closed) setTimeout(() => this.socket.connect(), 250);
    });
  }

  static async start(name: string, url: string): Promise<SimulatedCustomer> {
    const res = await fetch(`${url}/api/v1/widget/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inbox: "website", name }),
    });
    const body = (await res.json()) as { token: string };
    if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(body)}`);
    const c = new SimulatedCustomer(name, url, body.token);
    await new Promise<void>((resolve, reject) => (c.socket.once("connect", () => resolve()), c.socket.once("connect_error", reject)));
    const r = (await c.socket.timeout(10_000).emitWithAck("conversation:create", {})) as { ok: boolean; conversation: { id: string } };
    if (!r.ok) throw new Error(`conversation:create failed: ${JSON.stringify(r)}`);
    c.conversationId = r.conversation.id;
    return c;
  }

  /** Queues a message (it is sent as soon as the ones before it are acknowledged). */
  send(content: string): string {
    const clientId = `${this.name}-${++this.n}`;
    this.generated.push(clientId);
    this.outbox.push({ clientId, content, firstSentAt: Date.now() });
    void this.flush();
    return clientId;
  }

  /**
   * A send whose acknowledgement is lost (the connection drops just after the
   * server stored it): the message goes out once without waiting for an answer,
   * and the client, never having seen an acknowledgement, re-sends it from the
   * outbox with the same client id.
   */
  sendLosingAck(content: string, resendAfterMs = 500): string {
    const clientId = `${this.name}-${++this.n}`;
    this.generated.push(clientId);
    this.socket.emit("message:send", { conversationId: this.conversationId, clientId, content });
    setTimeout(() => {
      this.outbox.push({ clientId, content, firstSentAt: Date.now() });
      void this.flush();
    }, resendAfterMs);
    return clientId;
  }

  get unacknowledged(): number {
    return this.outbox.length;
  }

  private async flush() {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    let delay = 250;
    try {
      while (this.outbox.length && !this.closed) {
        const entry = this.outbox[0]!;
        let ack: Ack;
        if (!this.socket.connected) {
          ack = { ok: false, error: { code: "offline", message: "" } };
        } else {
          try {
            ack = (await this.socket.timeout(3000).emitWithAck("message:send", {
              conversationId: this.conversationId,
              clientId: entry.clientId,
              content: entry.content,
            })) as Ack;
          } catch {
            ack = { ok: false, error: { code: "timeout", message: "" } };
          }
        }
        if (ack.ok) {
          this.outbox.shift();
          this.acked.set(entry.clientId, ack.message.id);
          this.latencies.push(Date.now() - entry.firstSentAt);
          if (ack.duplicate) this.duplicates++;
          delay = 250;
          continue;
        }
        const transient = ack.error.retryable || ["timeout", "offline", "internal_error"].includes(ack.error.code);
        if (ack.error.code !== "offline")
          this.failures.push({ code: ack.error.code, retryable: Boolean(ack.error.retryable), at: Date.now() });
        if (!transient) throw new Error(`${this.name}: message ${entry.clientId} refused for good: ${JSON.stringify(ack.error)}`);
        if (ack.error.code === "offline") return; // the "connect" handler flushes again
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    } finally {
      this.flushing = false;
    }
  }

  close() {
    this.closed = true;
    this.socket.disconnect();
  }
}

/** Resolves once `check` is true, polling; throws with `what` after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string, everyMs = 200): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
