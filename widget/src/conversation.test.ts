import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Ack, WidgetRequests } from "../../shared/wire/index.ts";
import { Conversation, type ConversationHost } from "./conversation.ts";
import { MemoryStore } from "./memoryStore.ts";
import { Outbox } from "./outbox.ts";
import { ReadMarks } from "./readMarks.ts";
import type { OutboxEntry, SavedSession, SavedUi } from "./storage.ts";
import type { ConversationSummary, ServerMessage } from "./types.ts";

function message(seq: number, over: Partial<ServerMessage> = {}): ServerMessage {
  return {
    id: `m-${seq}`,
    seq,
    conversationId: "conv-1",
    type: "outgoing",
    content: `line ${seq}`,
    sender: { type: "bot" },
    attributes: {},
    attachments: [],
    createdAt: "2026-01-01T00:00:00Z",
    ...over,
  } as ServerMessage;
}

const summary = (status: ConversationSummary["status"], statusVersion = 0) =>
  ({ id: "conv-1", status, statusVersion, lastActivityAt: "2026-01-01T00:00:00Z", lastSeq: 0 }) as ConversationSummary;

describe("the conversation on screen", () => {
  let syncPages: Array<ServerMessage[]>;
  let syncAsked: number[];
  /** What a sync answers of the conversation, and when (the answer waits for syncHeld, if set). */
  let syncSummary: ConversationSummary;
  let syncHeld: Promise<void> | undefined;
  let arrived: ServerMessage[];
  let outboxStore: MemoryStore<OutboxEntry[]>;
  let conversation: Conversation;

  beforeEach(() => {
    vi.useFakeTimers();
    syncPages = [];
    syncAsked = [];
    syncSummary = summary("pending");
    syncHeld = undefined;
    arrived = [];
    outboxStore = new MemoryStore<OutboxEntry[]>([]);
    const outbox = new Outbox(() => outboxStore);
    const requests = {
      connected: true,
      async request<E extends keyof WidgetRequests>(
        event: E,
        payload: WidgetRequests[E]["payload"],
      ): Promise<Ack<WidgetRequests[E]["reply"]>> {
        if (event !== "messages:sync") throw new Error(`unexpected ${event}`);
        syncAsked.push((payload as WidgetRequests["messages:sync"]["payload"]).afterSeq);
        const answer = { ok: true, conversation: syncSummary, messages: syncPages.shift() ?? [] } as never;
        await syncHeld;
        return answer;
      },
    };
    const ui = new MemoryStore<SavedUi>({});
    const host: ConversationHost = {
      generation: 1,
      savedSession: new MemoryStore<SavedSession>({ token: "t", contactId: "c1", verified: false }),
      readMarks: new ReadMarks({
        get chat() {
          return conversation.chat;
        },
        ui,
        seeing: () => false,
        changed: () => undefined,
      }),
      creatingConversation: false,
      contactId: () => "c1",
      changed: () => undefined,
      reopened: () => undefined,
      arrived: (m) => arrived.push(m),
      checkAvailability: () => undefined,
      handedOff: () => undefined,
      teamAway: () => false,
      render: () => undefined,
    };
    conversation = new Conversation(host, requests, outbox);
    conversation.show("conv-1", "pending");
  });

  afterEach(() => vi.useRealTimers());

  it("shows a message once whether it comes by acknowledgement, broadcast or sync, and it leaves the outbox then", () => {
    outboxStore.set([{ clientId: "k1", contactId: "c1", conversationId: "conv-1", content: "hello", createdAt: "2026-01-01T00:00:00Z" }]);
    conversation.restorePending("c1");
    expect(conversation.chat.list().map((i) => [i.key, i.state])).toEqual([["c:k1", "sending"]]);

    const stored = message(1, {
      clientId: "k1",
      type: "incoming",
      sender: { type: "contact" } as ServerMessage["sender"],
      content: "hello",
    });
    conversation.onMessage(stored); // the broadcast came before the acknowledgement
    conversation.accept([stored]); // then the acknowledgement
    expect(conversation.chat.list().map((i) => [i.key, i.state])).toEqual([["c:k1", "sent"]]);
    expect(outboxStore.get()).toEqual([]);
    expect(arrived).toHaveLength(1);
  });

  it("fetches what was missed after the highest seq on screen, a page of 500 at a time", async () => {
    conversation.accept([message(1), message(2)]);
    syncPages.push(
      Array.from({ length: 500 }, (_, i) => message(3 + i)),
      [message(503)],
    );
    await conversation.sync();
    expect(syncAsked).toEqual([2, 502]);
    expect(conversation.chat.maxSeq).toBe(503);
  });

  it("keeps a status pushed while a sync was on its way: the sync's older answer does not undo it", async () => {
    conversation.onConversation(summary("pending", 1));
    let release!: () => void;
    syncHeld = new Promise((r) => (release = r));
    syncSummary = summary("pending", 1); // read by the server before an agent took the conversation
    const syncing = conversation.sync();
    conversation.onConversation(summary("open", 2)); // the push of the change overtakes it
    release();
    await syncing;
    expect(conversation.chat.status).toBe("open");
    // A later change still applies, whichever way it comes.
    syncSummary = summary("resolved", 3);
    await conversation.sync();
    expect(conversation.chat.status).toBe("resolved");
  });

  it("announces no history: messages up to the conversation's seq when loaded are not new", () => {
    conversation.historySeq = 5;
    conversation.accept([message(4), message(5), message(6)]);
    expect(arrived.map((m) => m.seq)).toEqual([6]);
  });

  it("drops a streamed draft whose final message never comes, after asking for it", async () => {
    conversation.onStream({ conversationId: "conv-1", streamId: "s1", delta: "Hel", done: false });
    conversation.onStream({ conversationId: "conv-1", streamId: "s1", delta: "lo", done: true });
    expect(conversation.chat.list().map((i) => i.content)).toEqual(["Hello"]);
    await vi.advanceTimersByTimeAsync(8000);
    expect(syncAsked).toEqual([0]);
    expect(conversation.chat.list()).toEqual([]);
  });

  it("takes the broadcast of a customer's first conversation as the one on screen", () => {
    conversation.show();
    conversation.onMessage(message(1, { conversationId: "conv-7" }));
    expect(conversation.id).toBe("conv-7");
    // Another conversation of the customer's is not shown over it.
    conversation.onMessage(message(1, { conversationId: "conv-8" }));
    expect(conversation.id).toBe("conv-7");
    expect(conversation.chat.list()).toHaveLength(1);
  });
});
