import type { Chat, ChatItem } from "./chat.ts";
import { patchUi, type KeyValue, type SavedUi } from "./storage.ts";

/** Read marks are kept for this many conversations, the most recent. */
const KEPT_CONVERSATIONS = 20;

/** The replies (the assistant's and the agents') after the seq the customer has seen. */
export function unreadCount(items: ChatItem[], readSeq: number): number {
  return items.filter(
    (i) => typeof i.seq === "number" && i.seq > readSeq && i.type === "outgoing" && (i.sender === "agent" || i.sender === "bot"),
  ).length;
}

/**
 * What the customer has read: the highest seq seen per conversation (saved, so a reload does not
 * count old replies again), and the unread count the launcher's badge and the page's `unread`
 * listeners get.
 */
export class ReadMarks {
  count = 0;

  constructor(
    private readonly host: {
      readonly chat: Chat;
      readonly ui: KeyValue<SavedUi>;
      /** The panel is open on a visible page: what arrives is read. */
      seeing(): boolean;
      changed(count: number): void;
    },
  ) {}

  /** A conversation seen for the first time here: what it held up to `seq` is not new. */
  init(conversationId: string, seq: number): void {
    const read = this.host.ui.get()?.read ?? {};
    if (read[conversationId] === undefined) patchUi(this.host.ui, { read: { ...read, [conversationId]: seq } });
  }

  markRead(): void {
    const chat = this.host.chat;
    const id = chat.conversationId;
    if (!id) return;
    const read = this.host.ui.get()?.read ?? {};
    if ((read[id] ?? -1) < chat.maxSeq) {
      const entries = Object.entries({ ...read, [id]: chat.maxSeq }).slice(-KEPT_CONVERSATIONS);
      patchUi(this.host.ui, { read: Object.fromEntries(entries) });
    }
    this.update(false);
  }

  /** Counts again; autoRead: while the customer is looking, what is on screen is read. */
  update(autoRead = true): void {
    if (autoRead && this.host.seeing()) return this.markRead();
    const chat = this.host.chat;
    const id = chat.conversationId;
    const read = id ? (this.host.ui.get()?.read?.[id] ?? 0) : 0;
    const n = unreadCount(chat.list(), read);
    if (n !== this.count) {
      this.count = n;
      this.host.changed(n);
    }
  }

  /** Shutdown: nothing unread any more. */
  reset(): void {
    if (this.count) {
      this.count = 0;
      this.host.changed(0);
    }
  }
}
