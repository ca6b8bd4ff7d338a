import { describe, expect, it } from "vitest";
import { Chat } from "./chat.ts";
import { MemoryStore } from "./memoryStore.ts";
import { ReadMarks, unreadCount } from "./readMarks.ts";
import type { SavedUi } from "./storage.ts";
import type { ServerMessage } from "./types.ts";

function message(
  seq: number,
  sender: "bot" | "agent" | "contact",
  type: ServerMessage["type"] = sender === "contact" ? "incoming" : "outgoing",
) {
  return {
    id: `m-${seq}`,
    seq,
    conversationId: "conv-1",
    type,
    content: "hi",
    sender: { type: sender },
    attributes: {},
    attachments: [],
    createdAt: "2026-01-01T00:00:00Z",
  } as unknown as ServerMessage;
}

describe("read marks", () => {
  function setup(seeing = false) {
    const chat = new Chat("conv-1");
    const ui = new MemoryStore<SavedUi>({});
    const counts: number[] = [];
    const marks = new ReadMarks({ chat, ui, seeing: () => seeing, changed: (n) => counts.push(n) });
    return { chat, ui, counts, marks };
  }

  it("count the assistant's and agents' replies after what the customer has seen, not their own lines nor activity", () => {
    const { chat } = setup();
    for (const m of [message(1, "bot"), message(2, "contact"), message(3, "agent"), message(4, "agent", "activity")]) chat.upsert(m);
    expect(unreadCount(chat.list(), 0)).toBe(2);
    expect(unreadCount(chat.list(), 1)).toBe(1);
    expect(unreadCount(chat.list(), 3)).toBe(0);
  });

  it("take a conversation's history as read when it is first seen here, and tell the page each change of the count", () => {
    const { chat, ui, counts, marks } = setup();
    chat.upsert(message(1, "bot"));
    marks.init("conv-1", 1);
    marks.update();
    expect(counts).toEqual([]);
    chat.upsert(message(2, "agent"));
    marks.update();
    marks.update();
    expect(counts).toEqual([1]);
    marks.markRead();
    expect(counts).toEqual([1, 0]);
    expect(ui.get()?.read).toEqual({ "conv-1": 2 });
    // A second init does not move the mark back.
    marks.init("conv-1", 0);
    expect(ui.get()?.read).toEqual({ "conv-1": 2 });
  });

  it("mark what arrives as read while the customer is looking", () => {
    const { chat, ui, counts, marks } = setup(true);
    chat.upsert(message(5, "bot"));
    marks.update();
    expect(counts).toEqual([]);
    expect(ui.get()?.read).toEqual({ "conv-1": 5 });
  });

  it("keep the 20 most recent conversations", () => {
    const { chat, ui, marks } = setup();
    ui.set({ read: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`old-${i}`, 1])) });
    chat.upsert(message(3, "bot"));
    marks.markRead();
    const read = ui.get()!.read!;
    expect(Object.keys(read)).toHaveLength(20);
    expect(read["conv-1"]).toBe(3);
    expect(read["old-0"]).toBeUndefined();
  });
});
