/** Service levels in the console: the time left of a conversation's next target, and its standing. */
import { h } from "./dom.ts";
import { duration, ts } from "./format.ts";
import { icon } from "./icons.ts";
import type { ConversationSla, SlaMetric } from "../../shared/wire/index.ts";

export const METRIC_LABELS: Record<SlaMetric, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};

/**
 * A chip with the time left before the next target (amber from 80 % of its time,
 * "Breached" in red once past it); updated in place by `updateSlaChip` as time passes.
 * Null when no target runs.
 */
export function slaChip(sla: ConversationSla | null | undefined, withPolicy = false): HTMLElement | null {
  if (!sla?.next) return null;
  const el = h("span", {
    class: "sla-chip",
    dataset: { slaDue: sla.next.dueAt, slaState: sla.next.state, slaMetric: sla.next.metric, slaPolicy: withPolicy ? sla.policyName : "" },
  });
  updateSlaChip(el);
  return el;
}

export function updateSlaChip(el: HTMLElement, now = Date.now()): void {
  const due = ts(el.dataset.slaDue);
  const metric = METRIC_LABELS[el.dataset.slaMetric as SlaMetric] ?? "Target";
  const left = due - now;
  // The server's state says near (80 % used); the clock here says breached once past due.
  const state = left <= 0 ? "breached" : el.dataset.slaState === "near_breach" ? "near_breach" : "running";
  const policy = el.dataset.slaPolicy ? `${el.dataset.slaPolicy} · ` : "";
  el.className = `sla-chip sla-${state}`;
  el.replaceChildren(
    icon("clock", 11),
    document.createTextNode(state === "breached" ? `${policy}Breached` : `${policy}${duration(left)} left`),
  );
  el.title =
    state === "breached"
      ? `${metric} target breached ${duration(-left)} ago (due ${new Date(due).toLocaleString()})`
      : `${metric} due in ${duration(left)} (${new Date(due).toLocaleString()})`;
}
