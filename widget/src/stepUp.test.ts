import { describe, expect, it } from "vitest";
import type { ChatItem } from "./chat.ts";
import { askedStepUp, stepUpAt, type Challenge } from "./stepUp.ts";
import type { ServerStepUp } from "./types.ts";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function challenge(over: Partial<ServerStepUp> = {}, box: Partial<Challenge> = {}): Challenge {
  const server = {
    id: "ch-1",
    status: "pending",
    destination: "•••• 1234",
    attemptsLeft: 3,
    sendsLeft: 2,
    expiresAt: at(300),
    resendAt: at(30),
    ...over,
  } as ServerStepUp;
  return { server, busy: false, ...box };
}

function bot(attributes: ChatItem["attributes"], key = "m:1"): ChatItem {
  return { key, type: "outgoing", sender: "bot", content: "", attributes, attachments: [], createdAt: at(0) };
}

describe("the code box over time", () => {
  it("is open until the code expires, then says so; it redraws itself at each of those moments", () => {
    const c = challenge();
    expect(stepUpAt(c, T0)).toMatchObject({ view: { status: "pending", canResend: false }, changesAt: T0 + 30_000 });
    expect(stepUpAt(c, T0 + 30_000)).toMatchObject({ view: { status: "pending", canResend: true }, changesAt: T0 + 300_000 });
    const expired = stepUpAt(c, T0 + 300_000);
    expect(expired.view).toMatchObject({ status: "expired", canResend: true });
    expect(expired.changesAt).toBeUndefined();
  });

  it("offers no new code when none is left, nor once verified, locked or replaced", () => {
    expect(stepUpAt(challenge({ sendsLeft: 0 }), T0 + 60_000).view.canResend).toBe(false);
    expect(stepUpAt(challenge({ status: "verified" }), T0 + 60_000).view).toMatchObject({ status: "verified", canResend: false });
    expect(stepUpAt(challenge({ status: "locked" }), T0 + 60_000).view).toMatchObject({ status: "locked", canResend: false });
    expect(stepUpAt(challenge({ status: "superseded" }), T0).view.status).toBe("closed");
    expect(stepUpAt(challenge({ status: "undelivered" }), T0).view.status).toBe("closed");
  });

  it("shows what the last try said only while the code can still be typed", () => {
    const wrong = challenge({}, { message: "Wrong code: 2 tries left", tone: "error" });
    expect(stepUpAt(wrong, T0).view.message).toBe("Wrong code: 2 tries left");
    expect(stepUpAt(wrong, T0 + 300_000).view.message).toBeUndefined();
  });
});

describe("the challenge the assistant asks a code for", () => {
  const stepUp = challenge().server;

  it("is the one of its latest message", () => {
    expect(askedStepUp([bot({ kind: "step_up", stepUp })])).toEqual(stepUp);
    expect(askedStepUp([bot({ kind: "step_up", stepUp }), { ...bot({}, "a:1"), type: "activity" }])).toEqual(stepUp);
  });

  it("is none once the assistant has said something else, or when the message carries no challenge", () => {
    expect(askedStepUp([bot({ kind: "step_up", stepUp }), bot({}, "m:2")])).toBeUndefined();
    expect(askedStepUp([bot({ kind: "step_up" })])).toBeUndefined();
    expect(askedStepUp([])).toBeUndefined();
  });
});
