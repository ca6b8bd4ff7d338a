import { WIDGET_REQUESTS } from "../../shared/wire/index.ts";
import { Chat } from "./chat.ts";
import type { Requests } from "./connection.ts";
import { ExpiringFlag } from "./expiringFlag.ts";
import type { Outbox } from "./outbox.ts";
import type { ReadMarks } from "./readMarks.ts";
import type { KeyValue, SavedSession } from "./storage.ts";
import type { ConversationSummary, ServerMessage, StreamEvent, TypingEvent } from "./types.ts";
import { olderStatus } from "../../shared/statusVersion.ts";

/** messages:sync answers at most this many messages: a full page means there may be more. */
const SYNC_PAGE = 500;
/** A streamed answer whose final message has not come this long after it ended is fetched, then dropped. */
const STREAM_FINAL_WAIT_MS = 8000;

/** What the conversation on screen asks of the widget around it. */
export interface ConversationHost {
  /** Bumped by shutdown: an answer to an earlier generation's request is dropped. */
  readonly generation: number;
  readonly savedSession: KeyValue<SavedSession>;
  readonly readMarks: ReadMarks;
  /** A conversation is being made for the first message: its broadcast is this customer's new conversation. */
  readonly creatingConversation: boolean;
  contactId(): string | undefined;
  /** Another conversation is on screen: what the other parts keep of the last one goes. */
  changed(): void;
  /** It was reopened after a resolution. */
  reopened(): void;
  /** A new message (not history): the page's `message` listeners, and the preview beside a closed launcher. */
  arrived(m: ServerMessage): void;
  /** A handoff happened in one of the customer's conversations: is anyone there now? */
  checkAvailability(): void;
  /** A person is taking over the conversation on screen: the page's `handoff` listeners. */
  handedOff(conversationId: string): void;
  /** Whether the team is away now (the handoff's notice says so). */
  teamAway(): boolean;
  render(): void;
}

/**
 * The conversation on screen: its transcript (Chat) as the server's events, acknowledgements and
 * `messages:sync` bring it, and what it shows of the other side (its status, the handoff, the
 * agent or the assistant typing). After a reconnect, `sync` fetches what was missed since the
 * highest seq on screen; the transcript dedupes by id, seq and client id.
 */
export class Conversation {
  chat = new Chat();
  /** Messages up to this seq were there when the conversation was loaded: no events, no preview. */
  historySeq = 0;
  /** Handed off, and no person has joined yet. */
  handoffPending = false;
  /** The agent is typing (their console says when they stop; after 8 s of silence we assume it). */
  readonly agentTyping: ExpiringFlag;
  /** The assistant is working on an answer: its dots, for at most 20 s. */
  readonly botTyping: ExpiringFlag;
  private streamTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: ConversationHost,
    private readonly requests: Requests,
    private readonly outbox: Outbox,
  ) {
    this.agentTyping = new ExpiringFlag(8000, () => host.render());
    this.botTyping = new ExpiringFlag(20_000, () => host.render());
  }

  get id(): string | undefined {
    return this.chat.conversationId;
  }

  /** Shows another conversation, or none yet (restorePending brings back the customer's lines on their way). */
  show(conversationId?: string, status?: ConversationSummary["status"]): void {
    this.chat = new Chat(conversationId, status);
  }

  /** The lines in the outbox for this contact and conversation, as pending lines of the transcript. */
  restorePending(contactId: string | undefined): void {
    for (const e of this.outbox.all()) {
      if (e.contactId && contactId && e.contactId !== contactId) continue;
      if (e.conversationId && e.conversationId !== this.chat.conversationId) continue;
      this.chat.addPending(e.clientId, e.content, e.createdAt, e.failed ? "failed" : "sending", e.failed?.message, e.attachments);
    }
  }

  /** What the screen shows of the other side, and what the other parts keep, start afresh. */
  clearSideState(): void {
    this.handoffPending = false;
    this.agentTyping.set(false);
    this.botTyping.set(false);
    this.host.changed();
  }

  /** The conversation is not (or no longer) this customer's: show none; the next message starts one. */
  forget(): void {
    this.chat = new Chat();
    this.clearSideState();
    const saved = this.host.savedSession.get();
    if (saved) this.host.savedSession.set({ ...saved, conversationId: undefined });
    this.restorePending(this.host.contactId());
    this.host.render();
  }

  /** A conversation made for this customer (their first message) becomes the one on screen. */
  adopt(c: Pick<ConversationSummary, "id"> & Partial<ConversationSummary>): void {
    this.chat.conversationId = c.id;
    if (c.status) this.chat.status = c.status;
    const saved = this.host.savedSession.get();
    if (saved) this.host.savedSession.set({ ...saved, conversationId: c.id, fresh: undefined });
    this.host.readMarks.init(c.id, 0);
    this.historySeq = 0;
  }

  private apply(c: ConversationSummary) {
    if (c.id !== this.chat.conversationId) return;
    // A sync's answer read before the status changed can arrive after the push of the change.
    if (olderStatus(this.chat, c)) return;
    if (typeof c.statusVersion === "number") this.chat.statusVersion = c.statusVersion;
    const before = this.chat.status;
    this.chat.status = c.status;
    if (c.status !== "pending") this.botTyping.set(false);
    if (c.status === "resolved" || c.status === "pending") {
      this.agentTyping.set(false);
      this.handoffPending = false;
    }
    if (before === "resolved" && c.status !== "resolved") this.host.reopened();
  }

  /** Messages stored by the server (pushed, acknowledged or synced), each shown once. */
  accept(list: ServerMessage[]): void {
    for (const m of list) {
      if (!m || m.private) continue;
      const isNew = this.chat.upsert(m);
      if (m.clientId) this.outbox.remove(m.clientId);
      if (!isNew) continue;
      const from = m.sender?.type;
      if (m.type !== "activity" && (from === "bot" || from === "agent")) {
        this.botTyping.set(false);
        if (from === "agent") this.agentTyping.set(false);
      }
      if (m.type === "activity" && m.attributes?.kind === "assigned") this.handoffPending = false;
      if (m.seq > this.historySeq) this.host.arrived(m);
    }
    this.host.readMarks.update();
    this.host.render();
  }

  /** Fetches what was missed since the highest seq on screen, a page at a time. */
  async sync(): Promise<void> {
    const gen = this.host.generation;
    for (let page = 0; page < 50; page++) {
      const conversationId = this.chat.conversationId;
      if (!conversationId || gen !== this.host.generation) return;
      const r = await this.requests.request(WIDGET_REQUESTS.syncMessages, { conversationId, afterSeq: this.chat.maxSeq }, 20_000);
      if (gen !== this.host.generation || conversationId !== this.chat.conversationId) return;
      if (!r.ok) {
        if (r.error.code === "not_found" || r.error.code === "forbidden") this.forget();
        return;
      }
      if (r.conversation) this.apply(r.conversation);
      const messages = Array.isArray(r.messages) ? r.messages : [];
      this.accept(messages);
      if (messages.length < SYNC_PAGE) break;
    }
    // A streamed answer whose final message never came is dropped.
    this.host.render();
  }

  // ---------------------------------------------------------------- what the server pushes

  onMessage(m: ServerMessage): void {
    if (!m || typeof m !== "object" || m.private || !m.conversationId) return;
    if (m.conversationId !== this.chat.conversationId) {
      if (this.chat.conversationId) return; // another of this customer's conversations
      this.adopt({ id: m.conversationId });
      this.accept([m]);
      void this.sync(); // its status, and anything before this message
      return;
    }
    this.accept([m]);
  }

  onStream(e: StreamEvent): void {
    if (!e || e.conversationId !== this.chat.conversationId || typeof e.streamId !== "string") return;
    if (e.reset) {
      clearTimeout(this.streamTimers.get(e.streamId));
      this.streamTimers.delete(e.streamId);
      this.chat.dropStream(e.streamId);
      this.host.render();
      return;
    }
    if (!this.chat.stream(e.streamId, typeof e.delta === "string" ? e.delta : "", !!e.done)) return;
    this.botTyping.set(false);
    if (e.done) {
      clearTimeout(this.streamTimers.get(e.streamId));
      // The final message normally follows at once; if it does not, ask for it, then let the draft go.
      this.streamTimers.set(
        e.streamId,
        setTimeout(async () => {
          this.streamTimers.delete(e.streamId);
          if (!this.chat.hasStream(e.streamId)) return;
          await this.sync();
          this.chat.dropStream(e.streamId);
          this.host.render();
        }, STREAM_FINAL_WAIT_MS),
      );
    }
    this.host.render();
  }

  onConversation(c: ConversationSummary): void {
    if (!c || typeof c.id !== "string") return;
    if (c.id !== this.chat.conversationId) {
      if (this.chat.conversationId || !this.host.creatingConversation) return;
      this.adopt(c);
    }
    this.apply(c);
    this.host.render();
  }

  onHandoff(e: { conversationId: string }): void {
    this.host.checkAvailability();
    if (!e || e.conversationId !== this.chat.conversationId) return;
    this.handoffPending = true;
    this.botTyping.set(false);
    this.chat.addNotice(`h:${Date.now()}`, this.host.teamAway() ? "activityHandoffAway" : "activityHandoff");
    this.host.handedOff(e.conversationId);
    this.host.render();
  }

  onTyping(e: TypingEvent): void {
    if (!e || e.conversationId !== this.chat.conversationId || e.from !== "agent") return;
    this.agentTyping.set(!!e.typing);
    this.host.render();
  }

  /** Shutdown: no timer of this conversation fires later. */
  reset(): void {
    for (const t of this.streamTimers.values()) clearTimeout(t);
    this.streamTimers.clear();
    this.chat = new Chat();
    this.handoffPending = false;
    this.agentTyping.set(false);
    this.botTyping.set(false);
  }
}
