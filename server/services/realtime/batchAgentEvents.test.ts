import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AGENT_EVENTS_BATCH, batchAgentEvents } from "./batchAgentEvents.ts";
import type { Broadcaster } from "./Broadcaster.ts";

/** The batcher passes payloads through untouched: these tests send numbered stand-ins, not the wire's payloads. */
type LooseBatcher = {
  to(namespace: "/agent" | "/widget", rooms: string[], event: string, payload: unknown): void;
  disconnect(namespace: "/agent" | "/widget", rooms: string[]): void;
  flush(): void;
};
const batch = (inner: Broadcaster, windowMs?: number) => batchAgentEvents(inner, windowMs) as unknown as LooseBatcher;

function recorder() {
  const sent: Array<{ namespace: string; rooms: string[]; event: string; payload: unknown }> = [];
  const inner: Broadcaster = {
    to: (namespace, rooms, event, payload) => void sent.push({ namespace, rooms, event, payload }),
    disconnect: (namespace, rooms) => void sent.push({ namespace, rooms, event: "(disconnect)", payload: undefined }),
  };
  return { inner, sent };
}

describe("batchAgentEvents", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends an event at once when it is quiet, under its own name", () => {
    const { inner, sent } = recorder();
    const out = batch(inner, 50);
    out.to("/agent", ["team:a"], "message", { n: 1 });
    expect(sent).toEqual([{ namespace: "/agent", rooms: ["team:a"], event: "message", payload: { n: 1 } }]);
  });

  it("batches what follows within the window, in order, and goes back to sending at once when it is quiet again", () => {
    const { inner, sent } = recorder();
    const out = batch(inner, 50);
    out.to("/agent", ["team:a"], "message", { n: 1 });
    out.to("/agent", ["team:a"], "message", { n: 2 });
    out.to("/agent", ["team:a"], "conversation", { n: 3 });
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(50);
    expect(sent[1]).toEqual({
      namespace: "/agent",
      rooms: ["team:a"],
      event: AGENT_EVENTS_BATCH,
      payload: [
        ["message", { n: 2 }],
        ["conversation", { n: 3 }],
      ],
    });
    // A lone event in a window goes under its own name.
    out.to("/agent", ["team:a"], "handoff", { n: 4 });
    vi.advanceTimersByTime(50);
    expect(sent[2]).toMatchObject({ event: "handoff", payload: { n: 4 } });
    // A quiet window ends batching: the next event is not held back.
    vi.advanceTimersByTime(50);
    out.to("/agent", ["team:a"], "message", { n: 5 });
    expect(sent[3]).toMatchObject({ event: "message", payload: { n: 5 } });
    expect(sent).toHaveLength(4);
  });

  it("closes the open batch when an event is for other rooms, so no agent sees events out of order", () => {
    const { inner, sent } = recorder();
    const out = batch(inner, 50);
    out.to("/agent", ["admins", "team:a"], "message", { n: 1 });
    out.to("/agent", ["admins", "team:a"], "message", { n: 2 });
    out.to("/agent", ["admins", "team:a", "agent:x"], "conversation", { n: 3 });
    out.to("/agent", ["admins", "team:a"], "message", { n: 4 });
    vi.advanceTimersByTime(50);
    expect(sent.map((s) => [s.rooms.length, s.event, s.payload])).toEqual([
      [2, "message", { n: 1 }],
      [2, "message", { n: 2 }],
      [3, "conversation", { n: 3 }],
      [2, "message", { n: 4 }],
    ]);
  });

  it("leaves the customers' namespace alone, and flush() sends what waits", () => {
    const { inner, sent } = recorder();
    const out = batch(inner, 50);
    out.to("/agent", ["team:a"], "message", { n: 1 });
    out.to("/agent", ["team:a"], "message", { n: 2 });
    out.to("/widget", ["contact:c"], "message", { n: 3 });
    expect(sent.map((s) => s.namespace)).toEqual(["/agent", "/widget"]);
    out.flush();
    expect(sent[2]).toMatchObject({ namespace: "/agent", event: "message", payload: { n: 2 } });
  });

  it("caps a batch at 100 events", () => {
    const { inner, sent } = recorder();
    const out = batch(inner, 50);
    for (let n = 0; n <= 150; n++) out.to("/agent", ["team:a"], "message", { n });
    out.flush();
    expect(sent.map((s) => (Array.isArray(s.payload) ? s.payload.length : 1))).toEqual([1, 100, 50]);
  });

  it("sends what is waiting before it closes sockets", () => {
    const { inner, sent } = recorder();
    const b = batch(inner);
    b.to("/agent", ["a"], "message", 1);
    b.to("/agent", ["a"], "message", 2);
    b.disconnect("/agent", ["agent:x"]);
    expect(sent.map((s) => s.event)).toEqual(["message", "message", "(disconnect)"]);
  });
});
