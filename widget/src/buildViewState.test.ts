import { describe, expect, it } from "vitest";
import { buildViewState, type ViewSources } from "./buildViewState.ts";
import { Chat } from "./chat.ts";
import { strings } from "./locales/index.ts";
import type { SessionResponse } from "./types.ts";

const NOW = Date.parse("2026-01-05T10:00:00Z");
const en = strings("en");

/** The screen's sources with nothing going on; `over` changes what a case is about. */
function sources(over: Partial<ViewSources> = {}): ViewSources {
  return {
    locale: "en",
    open: true,
    preview: null,
    session: { current: { inbox: { name: "Acme Bank", greeting: null } } as unknown as SessionResponse, connectError: false },
    connection: { connected: true, everConnected: true, disconnectedAt: undefined },
    conversation: {
      chat: new Chat(),
      handoffPending: false,
      agentTyping: { on: false },
      botTyping: { on: false },
    } as ViewSources["conversation"],
    ratings: { csatMode: () => "none", npsMode: () => "none", feedback: () => ({}) },
    readMarks: { count: 0 },
    preChat: { view: () => null },
    followUp: { view: () => null, teamAway: false },
    stepUps: { view: () => null },
    transcript: { view: () => ({ state: "offer" }) } as unknown as ViewSources["transcript"],
    ...over,
  };
}

describe("the view state", () => {
  it("shows a message still sending while offline as queued", () => {
    const chat = new Chat("c1", "pending");
    chat.addPending("k1", "hello", "2026-01-05T09:59:00Z", "sending");
    const conversation = { ...sources().conversation, chat };
    expect(buildViewState(sources({ conversation }), NOW).items[0]?.state).toBe("sending");
    const offline = sources({ conversation, connection: { connected: false, everConnected: true, disconnectedAt: NOW - 100 } });
    expect(buildViewState(offline, NOW).items[0]?.state).toBe("queued");
  });

  it("says 'reconnecting' only once the connection has been gone a moment, and the gravest banner first", () => {
    const dropped = (ms: number) => ({ connected: false, everConnected: true, disconnectedAt: NOW - ms });
    expect(buildViewState(sources({ connection: dropped(500) }), NOW).banner).toBeNull();
    expect(buildViewState(sources({ connection: dropped(5000) }), NOW).banner).toMatchObject({ text: en.reconnecting });
    const base = sources().session;
    const unreachable = sources({ connection: dropped(5000), session: { ...base, connectError: true } });
    expect(buildViewState(unreachable, NOW).banner).toMatchObject({ text: en.connectError });
    const refused = sources({ connection: dropped(5000), session: { ...base, connectError: true, fatal: "notAllowed" } });
    expect(buildViewState(refused, NOW).banner).toMatchObject({ text: en.notAllowed, tone: "warn" });
    expect(buildViewState(refused, NOW).showHuman).toBe(false);
  });

  it("keeps an English inbox greeting from a customer reading Chinese, and the preview for a closed panel", () => {
    const session = {
      ...sources().session,
      current: { inbox: { name: "Acme", greeting: "Welcome to Acme" } } as unknown as SessionResponse,
    };
    expect(buildViewState(sources({ session }), NOW).greeting).toBe("Welcome to Acme");
    expect(buildViewState(sources({ session, locale: "zh-CN" }), NOW).greeting).toBe(strings("zh-CN").greeting);
    const preview = { title: "Li Wei", text: "Your card is on its way" };
    expect(buildViewState(sources({ preview }), NOW).preview).toBeNull();
    expect(buildViewState(sources({ preview, open: false }), NOW).preview).toEqual(preview);
  });

  it("offers the transcript and a new conversation only once the resolved conversation's surveys are done", () => {
    const resolved = { ...sources().conversation, chat: new Chat("c1", "resolved") };
    const done = buildViewState(sources({ conversation: resolved }), NOW);
    expect(done.showNewConversation).toBe(true);
    expect(done.transcript).toEqual({ state: "offer" });
    const asked = buildViewState(sources({ conversation: resolved, ratings: { ...sources().ratings, csatMode: () => "ask" } }), NOW);
    expect(asked.showNewConversation).toBe(false);
    expect(asked.transcript).toBeNull();
  });
});
