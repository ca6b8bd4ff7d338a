import type { ConversationSla, SlaMetric, SlaTarget } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { withPeople } from "./refreshConversationSla.ts";
import type { ConversationSlaRow } from "./types.ts";

type Running = "running" | "near_breach" | "breached";

function runningState(near: Date | null, due: Date, now: Date): Running {
  return now >= due ? "breached" : near && now >= near ? "near_breach" : "running";
}

/**
 * One target's standing: met or missed once done; while it runs, by the time used; a
 * target that stopped undone (the conversation went back to the bot, or was resolved
 * without a reply) is missed if it had been breached, and otherwise not shown.
 */
function target(due: Date | null, near: Date | null, doneAt: Date | null, running: boolean, breachedAt: Date | null, now: Date) {
  if (!due) return null;
  if (doneAt) return { dueAt: due, doneAt, state: doneAt <= due ? "met" : "missed" } satisfies Presented<SlaTarget>;
  if (running) return { dueAt: due, doneAt: null, state: runningState(near, due, now) } satisfies Presented<SlaTarget>;
  return breachedAt ? ({ dueAt: due, doneAt: null, state: "missed" } satisfies Presented<SlaTarget>) : null;
}

/** The only way a conversation's SLA row becomes JSON (the list, the conversation, the `sla` event); null without a policy. */
export function presentSla(
  s: ConversationSlaRow | null | undefined,
  policyName: string | null | undefined,
  c: Pick<ConversationRow, "status">,
  now = new Date(),
): Presented<ConversationSla> | null {
  if (!s || !s.policy_id || !policyName) return null;
  // Snoozed, the clocks stand still (sla/slaPauses.ts): no target runs, nothing is due.
  const people = withPeople(c) && c.status !== "snoozed";
  const firstResponse = target(
    s.first_response_due_at,
    s.first_response_near_at,
    s.first_response_at,
    people,
    s.first_response_breached_at,
    now,
  );
  const resolution = target(s.resolution_due_at, s.resolution_near_at, s.resolved_at, people, s.resolution_breached_at, now);
  const waiting = people && s.next_response_since && s.next_response_due_at;
  const counts = { met: s.next_responses_met, missed: s.next_responses_missed };
  const nextResponse = waiting
    ? {
        dueAt: s.next_response_due_at!,
        doneAt: null,
        state: runningState(s.next_response_near_at, s.next_response_due_at!, now),
        ...counts,
      }
    : counts.met + counts.missed
      ? { dueAt: null, doneAt: null, state: counts.missed ? ("missed" as const) : ("met" as const), ...counts }
      : null;
  const candidates: Array<[SlaMetric, Presented<SlaTarget> | null]> = [
    ["first_response", firstResponse],
    ["next_response", nextResponse],
    ["resolution", resolution],
  ];
  let next: Presented<ConversationSla>["next"] = null;
  for (const [metric, t] of candidates) {
    if (!t || !t.dueAt || t.doneAt || (t.state !== "running" && t.state !== "near_breach" && t.state !== "breached")) continue;
    if (!next || (t.dueAt as Date) < (next.dueAt as Date)) next = { metric, dueAt: t.dueAt, state: t.state };
  }
  return {
    policyId: s.policy_id,
    policyName,
    next,
    breached: candidates.some(([, t]) => t?.state === "breached"),
    firstResponse,
    nextResponse,
    resolution,
  };
}
