import { describe, expect, it } from "vitest";
import { presentSla } from "./presentSla.ts";
import type { ConversationSlaRow } from "./types.ts";

const at = (min: number) => new Date(Date.UTC(2026, 2, 4, 9, 0) + min * 60_000);
const row = (over: Partial<ConversationSlaRow>): ConversationSlaRow => ({
  conversation_id: "c1",
  policy_id: "p1",
  started_at: at(0),
  first_response_due_at: at(60),
  first_response_near_at: at(48),
  first_response_at: null,
  next_response_since: null,
  next_response_due_at: null,
  next_response_near_at: null,
  next_responses_met: 0,
  next_responses_missed: 0,
  resolution_due_at: at(480),
  resolution_near_at: at(384),
  resolved_at: null,
  first_response_breached_at: null,
  next_response_breached_at: null,
  resolution_breached_at: null,
  next_due_at: at(60),
  updated_at: at(0),
  ...over,
});
const open = { status: "open" as const };

describe("presentSla", () => {
  it("shows nothing due while the conversation is snoozed (its clocks stand still)", () => {
    const snoozed = presentSla(row({ next_due_at: null }), "Standard", { status: "snoozed" }, at(61))!;
    expect(snoozed).toMatchObject({ next: null, breached: false, firstResponse: null, resolution: null });
  });

  it("shows the running target due soonest, near its breach from 80 % of its time, breached past it", () => {
    expect(presentSla(row({}), "Standard", open, at(10))).toMatchObject({
      policyName: "Standard",
      next: { metric: "first_response", dueAt: at(60), state: "running" },
      breached: false,
    });
    expect(presentSla(row({}), "Standard", open, at(50))!.next).toMatchObject({ state: "near_breach" });
    const late = presentSla(row({}), "Standard", open, at(61))!;
    expect(late).toMatchObject({
      breached: true,
      next: { metric: "first_response", state: "breached" },
      firstResponse: { state: "breached" },
    });
  });

  it("moves on to the next target once one is met, and says met or missed", () => {
    const replied = presentSla(row({ first_response_at: at(30) }), "Standard", open, at(40))!;
    expect(replied.firstResponse).toMatchObject({ state: "met", doneAt: at(30) });
    expect(replied.next).toMatchObject({ metric: "resolution", dueAt: at(480) });
    const waiting = presentSla(
      row({
        first_response_at: at(70),
        next_response_since: at(100),
        next_response_due_at: at(130),
        next_response_near_at: at(124),
        next_responses_met: 2,
      }),
      "Standard",
      open,
      at(125),
    )!;
    expect(waiting.firstResponse!.state).toBe("missed");
    expect(waiting.nextResponse).toMatchObject({ state: "near_breach", met: 2, missed: 0 });
    expect(waiting.next).toMatchObject({ metric: "next_response", dueAt: at(130) });
  });

  it("runs no target once resolved or with the bot; an undone target shows only if it had been breached", () => {
    const resolved = presentSla(row({ first_response_at: at(5), resolved_at: at(100) }), "Standard", { status: "resolved" }, at(600))!;
    expect(resolved).toMatchObject({ next: null, breached: false, resolution: { state: "met" } });
    const unanswered = presentSla(row({ resolved_at: at(30) }), "Standard", { status: "resolved" }, at(600))!;
    expect(unanswered.firstResponse).toBeNull();
    const abandoned = presentSla(row({ first_response_breached_at: at(60) }), "Standard", { status: "pending" }, at(600))!;
    expect(abandoned).toMatchObject({ next: null, firstResponse: { state: "missed" } });
  });

  it("is null without a policy", () => {
    expect(presentSla(row({ policy_id: null }), "Standard", open)).toBeNull();
    expect(presentSla(undefined, undefined, open)).toBeNull();
  });
});
