import { WIDGET_REQUESTS, type AckError, type ConversationSummary, type Message } from "../../shared/wire/index.ts";
import type { Requests } from "./connection.ts";
import type { Outbox } from "./outbox.ts";
import type { OutboxEntry } from "./storage.ts";

/** The first wait before sending again after a transient failure; doubled each time, to at most MAX_RETRY_MS. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/** What the sender asks of the widget around it. */
export interface SenderHost {
  /** Bumped by shutdown: a send of an earlier generation stops. */
  readonly generation: number;
  readonly hasSession: boolean;
  contactId(): string | undefined;
  /** The conversation on screen, if there is one yet. */
  conversationId(): string | undefined;
  /** The conversation made for the first message: it becomes the one on screen. */
  adopt(c: ConversationSummary): void;
  /** The conversation on screen is not (or no longer) this customer's. */
  forget(): void;
  /** The server stored an entry: the message as stored. */
  stored(entry: OutboxEntry, message: Message): void;
  /** The server refused an entry for good: show why; it waits for the customer's retry. */
  refused(entry: OutboxEntry, message: string): void;
  render(): void;
}

/** What a failed send means for the entry and for the sending. */
export type SendFailure =
  /** Try again later: the server was busy, or the connection is away. */
  | "retry"
  /** No answer on a connection that looks alive: drop the connection (the reconnect re-sends). */
  | "reconnect"
  /** The conversation is not this customer's (any more): send the entry to a new one. */
  | "new_conversation"
  /** Refused for good (too long, not allowed...): mark it failed. */
  | "refused";

export function classifySendFailure(error: AckError, hasConversation: boolean, connected: boolean): SendFailure {
  const transient =
    error.retryable ||
    error.code === "timeout" ||
    error.code === "offline" ||
    error.code === "internal_error" ||
    error.code === "bad_response";
  if (transient) return error.code === "timeout" && connected ? "reconnect" : "retry";
  if (error.code === "not_found" && hasConversation) return "new_conversation";
  return "refused";
}

/**
 * Sends the outbox in order, one message at a time, until it is empty or the connection fails.
 * An entry leaves the outbox only once the server has stored it; a lost acknowledgement means the
 * same entry, with the same client id, is sent again (the server stores a client id once).
 */
export class OutboxSender {
  /** A conversation is being made for the first message (its broadcast may come before the answer). */
  creatingConversation = false;
  private flushing = false;
  private again = false;
  private timer?: ReturnType<typeof setTimeout>;
  private delay = FIRST_RETRY_MS;

  constructor(
    private readonly outbox: Outbox,
    private readonly requests: Requests & { drop(): void },
    private readonly host: SenderHost,
  ) {}

  /** Connected again: the next transient failure waits the first delay again. */
  resetBackoff(): void {
    this.delay = FIRST_RETRY_MS;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        await this.flushOnce();
      } while (this.again);
    } finally {
      this.flushing = false;
    }
  }

  private async flushOnce(): Promise<void> {
    const host = this.host;
    const gen = host.generation;
    for (;;) {
      if (gen !== host.generation || !host.hasSession || !this.requests.connected) return;
      const entry = this.outbox.forContact(host.contactId()).find((e) => !e.failed);
      if (!entry) return;

      // A new conversation is created on its own first, so that the message is then
      // sent (and, after a lost acknowledgement, re-sent) to one known conversation.
      let conversationId = entry.conversationId ?? host.conversationId();
      if (!conversationId) {
        this.creatingConversation = true;
        const r = await this.requests.request(WIDGET_REQUESTS.createConversation, {});
        this.creatingConversation = false;
        if (gen !== host.generation) return;
        if (!r.ok) {
          this.failed(entry, r.error);
          return;
        }
        if (!host.conversationId()) host.adopt(r.conversation);
        conversationId = host.conversationId()!;
      }
      if (entry.conversationId !== conversationId) {
        this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, conversationId } : e)));
      }
      const r = await this.requests.request(WIDGET_REQUESTS.sendMessage, {
        conversationId,
        clientId: entry.clientId,
        content: entry.content,
        // An outbox entry holds uploaded files only: each has the id the upload returned.
        ...(entry.attachments?.length ? { attachmentIds: entry.attachments.map((a) => a.id!) } : {}),
      });
      if (gen !== host.generation) return;
      if (!r.ok) {
        if (this.failed(entry, r.error) === "stop") return;
        continue;
      }
      this.delay = FIRST_RETRY_MS;
      this.outbox.remove(entry.clientId);
      host.stored(entry, r.message);
    }
  }

  /** Acts on a refused or unanswered send: stop sending for now, or go on with the next entry. */
  private failed(entry: OutboxEntry, error: AckError): "stop" | "next" {
    const failure = classifySendFailure(error, !!entry.conversationId, this.requests.connected);
    if (failure === "reconnect" || failure === "retry") {
      if (failure === "reconnect") this.requests.drop();
      else {
        this.timer = setTimeout(() => void this.flush(), this.delay);
        this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
      }
      this.host.render();
      return "stop";
    }
    if (failure === "new_conversation") {
      this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, conversationId: undefined } : e)));
      if (this.host.conversationId() === entry.conversationId) this.host.forget();
      return "next";
    }
    const failed = { code: error.code, message: error.message };
    this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, failed } : e)));
    this.host.refused(entry, error.message);
    return "next";
  }
}
