import { describe, expect, it, vi } from "vitest";
import { applySession, type SessionTargets } from "./applySession.ts";
import { MemoryStore } from "./memoryStore.ts";
import { Outbox } from "./outbox.ts";
import type { OutboxEntry, SavedSession } from "./storage.ts";
import type { ConversationSummary, Identity, SessionResponse } from "./types.ts";

const summary = (id: string, lastActivityAt: string, lastSeq = 0): ConversationSummary =>
  ({ id, status: "open", lastActivityAt, lastSeq }) as ConversationSummary;

const session = (contactId: string, conversations: ConversationSummary[], verified = false) =>
  ({ token: `t-${contactId}`, verified, contact: { id: contactId }, conversations }) as unknown as SessionResponse;

function targets(saved: SavedSession | undefined, outbox: OutboxEntry[], opts: { onScreen?: string; identity?: Identity } = {}) {
  const savedSession = new MemoryStore<SavedSession>(saved);
  const outboxStore = new MemoryStore<OutboxEntry[]>(outbox);
  const conversation = {
    id: opts.onScreen,
    chat: { maxSeq: 0, status: undefined },
    historySeq: 0,
    show: vi.fn((id?: string) => (conversation.id = id)),
    restorePending: vi.fn(),
    clearSideState: vi.fn(),
  };
  const t = {
    savedSession,
    identity: opts.identity,
    outbox: new Outbox(() => outboxStore),
    conversation: conversation as unknown as SessionTargets["conversation"],
    readMarks: { init: vi.fn(), update: vi.fn() },
    connection: { open: vi.fn() },
    render: vi.fn(),
  } satisfies SessionTargets;
  return { t, conversation, savedSession, outboxStore };
}

const entry = (clientId: string, contactId?: string, conversationId?: string): OutboxEntry => ({
  clientId,
  content: clientId,
  createdAt: "2026-01-01T00:00:00Z",
  ...(contactId ? { contactId } : {}),
  ...(conversationId ? { conversationId } : {}),
});

describe("taking up a new session", () => {
  it("a new contact: shows their latest conversation, keeps the lines typed before the session and drops another contact's", () => {
    const { t, conversation, savedSession, outboxStore } = targets(
      { token: "old", contactId: "c-old", verified: false, conversationId: "x" },
      [entry("before", undefined, "x"), entry("theirs", "c-old", "x")],
    );
    applySession(session("c-new", [summary("k-1", "2026-01-01T00:00:00Z"), summary("k-2", "2026-01-02T00:00:00Z", 7)]), t);
    expect(conversation.show).toHaveBeenCalledWith("k-2", "open");
    expect(conversation.restorePending).toHaveBeenCalledWith("c-new");
    expect(conversation.historySeq).toBe(7);
    expect(outboxStore.get()).toEqual([{ ...entry("before"), contactId: "c-new" }]);
    expect(savedSession.get()).toEqual({ token: "t-c-new", contactId: "c-new", verified: false, conversationId: "k-2" });
    expect(t.readMarks.init).toHaveBeenCalledWith("k-2", 7);
    expect(t.connection.open).toHaveBeenCalledOnce();
    expect(t.render).toHaveBeenCalledOnce();
  });

  it("the same contact: stays on the conversation on screen, and on none after they asked for a new one", () => {
    const kept = targets({ token: "t", contactId: "c", verified: false, conversationId: "k-1" }, [], { onScreen: "k-1" });
    applySession(session("c", [summary("k-1", "2026-01-01T00:00:00Z"), summary("k-2", "2026-01-02T00:00:00Z")]), kept.t);
    expect(kept.conversation.show).not.toHaveBeenCalled();
    expect(kept.savedSession.get()?.conversationId).toBe("k-1");

    const fresh = targets({ token: "t", contactId: "c", verified: false, fresh: true }, []);
    applySession(session("c", [summary("k-1", "2026-01-01T00:00:00Z")]), fresh.t);
    expect(fresh.savedSession.get()).toEqual({ token: "t-c", contactId: "c", verified: false, fresh: true });
    expect(fresh.t.readMarks.init).not.toHaveBeenCalled();
  });

  it("a signed-in customer whose page asks for a new conversation starts one, remembered as such", () => {
    const { t, conversation, savedSession } = targets(undefined, [], { identity: { userId: "u-1", newConversation: true } });
    applySession(session("c", [summary("k-1", "2026-01-01T00:00:00Z")], true), t);
    expect(conversation.show).toHaveBeenCalledWith(undefined, undefined);
    expect(savedSession.get()).toMatchObject({ verified: true, userId: "u-1", fresh: true });
  });
});
