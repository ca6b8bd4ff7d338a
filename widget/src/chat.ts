import type { ConversationStatus, MessageAttributes, ServerMessage, SenderType, Attachment, MessageType } from "./types.ts";

export type DeliveryState = "sending" | "queued" | "sent" | "failed";

/** One line of the transcript: a stored message, a message on its way, or a streaming answer. */
export interface ChatItem {
  /** Stable across the life of the line: `c:<clientId>` for the customer's own, `m:<id>` otherwise. */
  key: string;
  id?: string;
  seq?: number;
  clientId?: string;
  type: MessageType;
  sender: SenderType;
  /** The agent's display name on an agent's message, as plain text. */
  senderName?: string;
  content: string;
  attributes: MessageAttributes;
  attachments: Attachment[];
  createdAt: string;
  state?: DeliveryState;
  error?: string;
  streaming?: boolean;
  /** Local-only notice (not from the server). */
  local?: boolean;
}

/**
 * The transcript of the conversation on screen. Every message is keyed so that a
 * message arriving twice (acknowledgement, broadcast, sync after a reconnect) is
 * shown once: by server id, by seq, and by the client id the widget gave it.
 */
export class Chat {
  conversationId: string | undefined;
  status: ConversationStatus | undefined;
  /** The status's version (ConversationSummary.statusVersion) on screen, once a summary brought one. */
  statusVersion: number | undefined;
  private items = new Map<string, ChatItem>();
  private byId = new Map<string, string>();
  private bySeq = new Map<number, string>();
  private finishedStreams = new Set<string>();
  maxSeq = 0;

  constructor(conversationId?: string, status?: ConversationStatus) {
    this.conversationId = conversationId;
    this.status = status;
  }

  /** Adds or updates a stored message. Returns true when it is new to the transcript. */
  upsert(m: ServerMessage): boolean {
    if (m.private) return false; // never shown to a customer (the server does not send them either)
    const existingKey = this.byId.get(m.id) ?? (typeof m.seq === "number" ? this.bySeq.get(m.seq) : undefined);
    const key = existingKey ?? (m.clientId ? `c:${m.clientId}` : `m:${m.id}`);
    const before = this.items.get(key);
    const wasStored = !!before?.id;
    const item: ChatItem = {
      key,
      id: m.id,
      seq: m.seq,
      clientId: m.clientId ?? undefined,
      type: m.type,
      sender: m.sender?.type ?? "system",
      senderName: m.sender?.type === "agent" ? plainName(m.sender.name) : undefined,
      content: m.content ?? "",
      attributes: m.attributes ?? {},
      attachments: Array.isArray(m.attachments) ? m.attachments : [],
      createdAt: m.createdAt,
      state: m.sender?.type === "contact" ? "sent" : undefined,
    };
    this.items.set(key, item);
    this.byId.set(m.id, key);
    if (typeof m.seq === "number") {
      this.bySeq.set(m.seq, key);
      if (m.seq > this.maxSeq) this.maxSeq = m.seq;
    }
    const streamId = item.attributes.streamId;
    if (typeof streamId === "string") {
      this.finishedStreams.add(streamId);
      this.items.delete(`s:${streamId}`);
    }
    return !wasStored;
  }

  /** The customer's message before the server has it. */
  addPending(
    clientId: string,
    content: string,
    createdAt: string,
    state: DeliveryState,
    error?: string,
    attachments: Attachment[] = [],
  ): void {
    const key = `c:${clientId}`;
    const existing = this.items.get(key);
    if (existing?.id) return; // already stored
    this.items.set(key, {
      key,
      clientId,
      type: "incoming",
      sender: "contact",
      content,
      attributes: {},
      attachments,
      createdAt,
      state,
      error,
    });
  }

  setState(clientId: string, state: DeliveryState, error?: string): void {
    const item = this.items.get(`c:${clientId}`);
    if (!item || item.id) return;
    this.items.set(item.key, { ...item, state, error });
  }

  removePending(clientId: string): void {
    const item = this.items.get(`c:${clientId}`);
    if (item && !item.id) this.items.delete(item.key);
  }

  /** A streamed answer's delta. Returns false when that stream already became a message. */
  stream(streamId: string, delta: string, done: boolean): boolean {
    if (this.finishedStreams.has(streamId)) return false;
    const key = `s:${streamId}`;
    const item = this.items.get(key);
    const content = (item?.content ?? "") + (delta ?? "");
    this.items.set(key, {
      key,
      type: "outgoing",
      sender: "bot",
      content,
      attributes: { streamId },
      attachments: [],
      createdAt: item?.createdAt ?? new Date().toISOString(),
      streaming: !done,
    });
    return true;
  }

  dropStream(streamId: string): void {
    this.items.delete(`s:${streamId}`);
  }

  hasStream(streamId: string): boolean {
    return this.items.has(`s:${streamId}`);
  }

  addNotice(key: string, content: string): void {
    if (this.items.has(key)) return;
    this.items.set(key, {
      key,
      type: "activity",
      sender: "system",
      content,
      attributes: {},
      attachments: [],
      createdAt: new Date().toISOString(),
      local: true,
    });
  }

  /** Stored messages in seq order, then local notices and messages on their way, in the order they were made. */
  list(): ChatItem[] {
    const all = [...this.items.values()];
    const stored = all.filter((i) => typeof i.seq === "number").sort((a, b) => a.seq! - b.seq!);
    const rest = all
      .filter((i) => typeof i.seq !== "number")
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    if (!rest.length) return stored;
    // Local notices keep their place in time among stored messages; pending ones go last.
    const out = [...stored];
    for (const r of rest) {
      if (r.local) {
        const at = out.findIndex((s) => s.createdAt > r.createdAt && !s.local && typeof s.seq === "number");
        if (at === -1) out.push(r);
        else out.splice(at, 0, r);
      } else out.push(r);
    }
    return out;
  }

  get size(): number {
    return this.items.size;
  }
}

/**
 * A name from the server, shown as a text node: still kept to one short line of
 * printable characters, whatever a future server or a proxy sends.
 */
function plainName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .trim()
    .slice(0, 40);
  return clean || undefined;
}
