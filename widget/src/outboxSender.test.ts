import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Ack, AckError, ConversationSummary, Message, WidgetRequests } from "../../shared/wire/index.ts";
import { MemoryStore } from "./memoryStore.ts";
import { Outbox } from "./outbox.ts";
import { classifySendFailure, OutboxSender, type SenderHost } from "./outboxSender.ts";
import type { OutboxEntry } from "./storage.ts";

type Sent = { event: keyof WidgetRequests; payload: Record<string, unknown> };
type Answer = Ack<Record<string, unknown>>;

/** The server side of the socket: answers each request with the next queued answer, or stores the message. */
class FakeServer {
  connected = true;
  sent: Sent[] = [];
  dropped = 0;
  private answers: Answer[] = [];
  private seq = 0;

  answerNext(...answers: Answer[]) {
    this.answers.push(...answers);
  }

  request<E extends keyof WidgetRequests>(event: E, payload: WidgetRequests[E]["payload"]): Promise<Ack<WidgetRequests[E]["reply"]>> {
    this.sent.push({ event, payload: payload as Record<string, unknown> });
    const queued = this.answers.shift();
    if (queued) return Promise.resolve(queued as Ack<WidgetRequests[E]["reply"]>);
    if (event === "conversation:create") return Promise.resolve({ ok: true, conversation: summary("conv-new") } as never);
    const p = payload as WidgetRequests["message:send"]["payload"];
    return Promise.resolve({ ok: true, message: stored(p.conversationId!, p.clientId, ++this.seq), duplicate: false } as never);
  }

  drop() {
    this.dropped++;
  }

  sends() {
    return this.sent.filter((s) => s.event === "message:send").map((s) => s.payload.clientId);
  }
}

function summary(id: string): ConversationSummary {
  return { id, status: "pending", lastActivityAt: new Date().toISOString(), lastSeq: 0 } as ConversationSummary;
}

function stored(conversationId: string, clientId: string, seq: number): Message {
  return { id: `m-${seq}`, seq, conversationId, clientId, content: "", type: "incoming" } as unknown as Message;
}

const error = (code: string, retryable?: boolean): { ok: false; error: AckError } => ({
  ok: false,
  error: { code, message: `${code}!`, ...(retryable ? { retryable } : {}) },
});

function entry(clientId: string, conversationId?: string): OutboxEntry {
  return { clientId, contactId: "contact-1", conversationId, content: `text ${clientId}`, createdAt: "2026-01-01T00:00:00Z" };
}

describe("the outbox sender", () => {
  let store: MemoryStore<OutboxEntry[]>;
  let outbox: Outbox;
  let server: FakeServer;
  let host: SenderHost & { conversation?: string; generation: number; storedIds: string[]; refusedIds: string[]; forgotten: number };
  let sender: OutboxSender;

  beforeEach(() => {
    vi.useFakeTimers();
    store = new MemoryStore<OutboxEntry[]>([]);
    outbox = new Outbox(() => store);
    server = new FakeServer();
    host = {
      generation: 1,
      hasSession: true,
      conversation: "conv-1",
      storedIds: [],
      refusedIds: [],
      forgotten: 0,
      contactId: () => "contact-1",
      conversationId: () => host.conversation,
      adopt: (c) => (host.conversation = c.id),
      forget: () => {
        host.conversation = undefined;
        host.forgotten++;
      },
      stored: (e) => host.storedIds.push(e.clientId),
      refused: (e) => host.refusedIds.push(e.clientId),
      render: () => undefined,
    };
    sender = new OutboxSender(outbox, server, host);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends the outbox in order, and an entry leaves it only once the server has stored it", async () => {
    outbox.update(() => [entry("a", "conv-1"), entry("b", "conv-1"), entry("c", "conv-1")]);
    server.answerNext({ ok: true, message: stored("conv-1", "a", 1), duplicate: false });
    await sender.flush();
    expect(server.sends()).toEqual(["a", "b", "c"]);
    expect(host.storedIds).toEqual(["a", "b", "c"]);
    expect(outbox.all()).toEqual([]);
  });

  it("re-sends an entry whose acknowledgement was lost with the same client id, so the server stores it once", async () => {
    outbox.update(() => [entry("a", "conv-1"), entry("b", "conv-1")]);
    server.answerNext(error("timeout", true));
    await sender.flush();
    // No answer on a live connection: the connection is dropped (the reconnect re-sends); nothing left the outbox.
    expect(server.dropped).toBe(1);
    expect(outbox.all().map((e) => e.clientId)).toEqual(["a", "b"]);
    expect(host.storedIds).toEqual([]);

    // Reconnected: the server had stored "a" and answers the second send as a duplicate.
    server.answerNext({ ok: true, message: stored("conv-1", "a", 1), duplicate: true });
    await sender.flush();
    expect(server.sends()).toEqual(["a", "a", "b"]);
    expect(host.storedIds).toEqual(["a", "b"]);
    expect(outbox.all()).toEqual([]);
  });

  it("waits longer after each transient failure, up to 15 s, and from 1 s again after a success", async () => {
    const busy = error("unavailable", true);
    outbox.update(() => [entry("a", "conv-1")]);
    server.answerNext(busy, busy, busy, busy, busy, busy);
    await sender.flush();
    // Each try comes exactly when the back-off says, not before.
    for (const wait of [1000, 2000, 4000, 8000, 15_000]) {
      const before = server.sends().length;
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(server.sends().length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.sends().length).toBe(before + 1);
    }
    await vi.advanceTimersByTimeAsync(15_000); // the sixth try succeeds
    expect(host.storedIds).toEqual(["a"]);

    outbox.update(() => [entry("b", "conv-1")]);
    server.answerNext(busy);
    await sender.flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.storedIds).toEqual(["a", "b"]);
  });

  it("marks a refused entry failed, keeps it for the customer's retry, and sends the next", async () => {
    outbox.update(() => [entry("a", "conv-1"), entry("b", "conv-1")]);
    server.answerNext(error("validation_error"));
    await sender.flush();
    expect(host.refusedIds).toEqual(["a"]);
    expect(host.storedIds).toEqual(["b"]);
    expect(outbox.all()).toEqual([
      expect.objectContaining({ clientId: "a", failed: { code: "validation_error", message: "validation_error!" } }),
    ]);
    // A failed entry is not sent again by itself.
    await sender.flush();
    expect(server.sends()).toEqual(["a", "b"]);
  });

  it("creates the conversation first for a first message, then sends it there", async () => {
    host.conversation = undefined;
    outbox.update(() => [entry("a")]);
    await sender.flush();
    expect(server.sent.map((s) => s.event)).toEqual(["conversation:create", "message:send"]);
    expect(server.sent[1]!.payload).toMatchObject({ conversationId: "conv-new", clientId: "a" });
    expect(host.conversation).toBe("conv-new");
  });

  it("keeps the conversation an entry was sent to, so a re-send after a lost answer goes to the same one", async () => {
    host.conversation = undefined;
    outbox.update(() => [entry("a")]);
    server.answerNext({ ok: true, conversation: summary("conv-new") }, error("timeout", true));
    await sender.flush();
    expect(outbox.all()).toEqual([expect.objectContaining({ clientId: "a", conversationId: "conv-new" })]);
  });

  it("sends an entry whose conversation is not the customer's (any more) to a new one", async () => {
    outbox.update(() => [entry("a", "conv-1")]);
    server.answerNext(error("not_found"));
    await sender.flush();
    expect(host.forgotten).toBe(1);
    expect(server.sent.map((s) => [s.event, s.payload.conversationId])).toEqual([
      ["message:send", "conv-1"],
      ["conversation:create", undefined],
      ["message:send", "conv-new"],
    ]);
    expect(host.storedIds).toEqual(["a"]);
  });

  it("stops when the widget shuts down meanwhile, and sends nothing without a session or a connection", async () => {
    outbox.update(() => [entry("a", "conv-1"), entry("b", "conv-1")]);
    const request = server.request.bind(server);
    server.request = ((event: never, payload: never) => {
      host.generation++;
      return request(event, payload);
    }) as never;
    await sender.flush();
    expect(server.sends()).toEqual(["a"]);
    expect(host.storedIds).toEqual([]);

    server.request = request as never;
    server.connected = false;
    await sender.flush();
    (host as { hasSession: boolean }).hasSession = false;
    server.connected = true;
    await sender.flush();
    expect(server.sends()).toEqual(["a"]);
  });

  it("sends only this contact's entries and those typed before there was a contact", async () => {
    outbox.update(() => [
      { ...entry("other"), contactId: "contact-2", conversationId: "conv-9" },
      { ...entry("guest", "conv-1"), contactId: undefined },
    ]);
    await sender.flush();
    expect(server.sends()).toEqual(["guest"]);
    expect(outbox.all().map((e) => e.clientId)).toEqual(["other"]);
  });
});

describe("what a failed send means", () => {
  it.each([
    [{ code: "unavailable", message: "", retryable: true }, true, "retry"],
    [{ code: "internal_error", message: "" }, true, "retry"],
    [{ code: "offline", message: "" }, false, "retry"],
    [{ code: "bad_response", message: "" }, true, "retry"],
    [{ code: "timeout", message: "" }, true, "reconnect"],
    [{ code: "timeout", message: "" }, false, "retry"],
    [{ code: "validation_error", message: "" }, true, "refused"],
    [{ code: "rate_limited", message: "", retryable: true }, true, "retry"],
  ] as const)("%o, connected %s: %s", (error, connected, expected) => {
    expect(classifySendFailure(error, true, connected)).toBe(expected);
  });

  it("sends to a new conversation only an entry that had one", () => {
    expect(classifySendFailure({ code: "not_found", message: "" }, true, true)).toBe("new_conversation");
    expect(classifySendFailure({ code: "not_found", message: "" }, false, true)).toBe("refused");
  });
});
