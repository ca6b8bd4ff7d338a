import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryStore } from "./memoryStore.ts";
import { SessionKeeper, sessionRetryDelay, type SessionHost } from "./session.ts";
import type { Stores } from "./storage.ts";
import type { SessionResponse } from "./types.ts";

/** POST /widget/sessions as the server answers it; `fetch` is the browser's, outside the widget. */
type Reply = { status: number; body?: unknown } | "network";

function session(contactId: string, token: string, verified = false): SessionResponse {
  return {
    token,
    verified,
    contact: { id: contactId, name: null, email: null, phone: null },
    inbox: { name: "Website", greeting: null, preChatFields: [], csatEnabled: true, npsEnabled: false, maxAttachmentBytes: 1024 },
    preChat: null,
    availability: { online: true, agentsOnline: true, withinHours: true },
    conversations: [],
  };
}

describe("the widget session", () => {
  let replies: Reply[];
  let bodies: Array<Record<string, unknown>>;
  let host: SessionHost & { generation: number; startedWith: SessionResponse[] };
  let keeper: SessionKeeper;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    replies = [];
    bodies = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      const reply = replies.shift() ?? "network";
      if (reply === "network") throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify(reply.body ?? {}), { status: reply.status });
    });
    const stores: Stores = { session: new MemoryStore(), outbox: new MemoryStore(), ui: new MemoryStore() };
    host = {
      generation: 1,
      booted: true,
      inbox: "website",
      stores,
      startedWith: [],
      origin: () => "https://chat.bank.example",
      render: () => undefined,
      started: (res) => host.startedWith.push(res),
    };
    keeper = new SessionKeeper(host);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("starts one session at a time, and sends the saved token to resume it", async () => {
    host.stores.session.set({ token: "old-token", contactId: "c1", verified: false });
    replies.push({ status: 201, body: session("c1", "new-token") });
    const [a, b] = await Promise.all([keeper.ensure(), keeper.ensure()]);
    expect([a, b]).toEqual([true, true]);
    expect(bodies).toEqual([{ inbox: "website", token: "old-token" }]);
    expect(keeper.current?.token).toBe("new-token");
    expect(host.startedWith).toHaveLength(1);
    expect(await keeper.ensure()).toBe(true);
    expect(bodies).toHaveLength(1);
  });

  it("retries an unreachable server with back-off, and says so meanwhile", async () => {
    replies.push("network", "network");
    expect(await keeper.ensure()).toBe(false);
    expect(keeper.connectError).toBe(true);
    expect(bodies).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1599); // the first retry: 2 s less at most 20 %
    expect(bodies).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2401 - 1599 + 1);
    expect(bodies).toHaveLength(2);
    replies.push({ status: 201, body: session("c1", "t") });
    await vi.advanceTimersByTimeAsync(4800);
    expect(bodies).toHaveLength(3);
    expect(keeper.connectError).toBe(false);
    expect(keeper.current?.token).toBe("t");
  });

  it("waits 2 s doubling to 30 s between failed starts, give or take 20 %", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => sessionRetryDelay(n, 0.5))).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(sessionRetryDelay(1, 0)).toBe(1600);
    expect(sessionRetryDelay(1, 1)).toBeCloseTo(2400);
  });

  it("never silently starts as someone else: a refused identity goes, the customer is told, a guest session starts", async () => {
    keeper.identify({ userId: "C-1001", identityHash: "bad" }, false);
    replies.push(
      { status: 401, body: { error: { code: "unauthorized", message: "bad hash" } } },
      { status: 201, body: session("guest", "t") },
    );
    expect(await keeper.ensure()).toBe(true);
    expect(bodies).toEqual([{ inbox: "website", userId: "C-1001", identityHash: "bad" }, { inbox: "website" }]);
    expect(keeper.identity).toBeUndefined();
    expect(keeper.notice).toBe("identityError");
  });

  it("stops on an inbox it may not use, and does not try again", async () => {
    replies.push({ status: 403, body: { error: { code: "forbidden", message: "origin not allowed" } } });
    expect(await keeper.ensure()).toBe(false);
    expect(keeper.fatal).toBe("connectError");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await keeper.ensure()).toBe(false);
    expect(bodies).toHaveLength(1);
  });

  it("gives a signed-in customer's next page a moment to identify them before starting a guest session", async () => {
    host.stores.session.set({ token: "signed", contactId: "c1", verified: true, userId: "C-1001" });
    keeper.awaitIdentity();
    expect(await keeper.ensure()).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(bodies).toHaveLength(0);

    // The page identifies them: the session starts at once, as them.
    keeper.identify({ userId: "C-1001", identityHash: "h" }, true);
    replies.push({ status: 201, body: session("c1", "t2", true) });
    expect(await keeper.ensure()).toBe(true);
    expect(bodies).toEqual([{ inbox: "website", token: "signed", userId: "C-1001", identityHash: "h" }]);
  });

  it("starts as a guest once the moment has passed without an identify", async () => {
    keeper.awaitIdentity();
    expect(await keeper.ensure()).toBe(false);
    replies.push({ status: 201, body: session("guest", "t") });
    await vi.advanceTimersByTimeAsync(3000);
    expect(bodies).toEqual([{ inbox: "website" }]);
    expect(keeper.current?.contact.id).toBe("guest");
  });

  it("starts again for an identity given while a start was on its way, keeping the token the first made", async () => {
    let answer!: (r: Response) => void;
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      if (bodies.length === 1) return new Promise<Response>((resolve) => (answer = resolve));
      return new Response(JSON.stringify(session("c-signed", "t-signed", true)), { status: 201 });
    });
    const started = keeper.ensure();
    await vi.advanceTimersByTimeAsync(0);
    expect(keeper.identify({ userId: "C-1001", identityHash: "h" }, true)).toBe(false);
    answer(new Response(JSON.stringify(session("c-guest", "t-guest")), { status: 201 }));
    expect(await started).toBe(true);
    expect(bodies).toEqual([{ inbox: "website" }, { inbox: "website", token: "t-guest", userId: "C-1001", identityHash: "h" }]);
    expect(host.startedWith.map((s) => s.token)).toEqual(["t-signed"]);
  });

  it("keeps the session of the same signed-in customer identified again, and makes way for anyone else", async () => {
    keeper.identify({ userId: "C-1001", identityHash: "h" }, true);
    replies.push({ status: 201, body: session("c1", "t", true) });
    await keeper.ensure();
    host.stores.session.set({ token: "t", contactId: "c1", verified: true, userId: "C-1001" });
    expect(keeper.identify({ userId: "C-1001", identityHash: "h" }, true)).toBe(false);
    expect(keeper.current?.token).toBe("t");
    expect(keeper.identify({ userId: "C-2002", identityHash: "h2" }, true)).toBe(true);
    expect(keeper.current).toBeUndefined();
  });

  it("drops the answer to a start made before a shutdown", async () => {
    let answer!: (r: Response) => void;
    vi.stubGlobal("fetch", () => new Promise<Response>((resolve) => (answer = resolve)));
    const started = keeper.ensure();
    await vi.advanceTimersByTimeAsync(0);
    host.generation++;
    keeper.reset();
    answer(new Response(JSON.stringify(session("c1", "t")), { status: 201 }));
    expect(await started).toBe(false);
    expect(keeper.current).toBeUndefined();
    expect(host.startedWith).toEqual([]);
  });

  it("says a revoked session ended, and starts the next without waiting for an identify", async () => {
    keeper.awaitIdentity();
    keeper.ended();
    expect(keeper.notice).toBe("sessionEnded");
    replies.push({ status: 201, body: session("guest", "t") });
    expect(await keeper.ensure()).toBe(true);
  });
});
