import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { rooms } from "../services/realtime/rooms.ts";
import { AGENT_EVENTS, AGENT_NAMESPACE, type SlaAlert } from "../../shared/wire/index.ts";
import type { DomainEvents, SlaAlertEvent } from "../events/EventBus.ts";
import type { Presented } from "../presenters/Presented.ts";
import { presentSla } from "./presentSla.ts";

/**
 * Service levels in the console in real time (listeners in events/listeners.ts): a
 * conversation's new standing as an `sla` event, near-breaches and breaches as
 * `sla_alert`, to the agents who may see the conversation.
 */
export function slaSocketEvents(out: Broadcaster) {
  const alert =
    (level: SlaAlert["level"]) =>
    ({ conversation, policy, metric, dueAt }: SlaAlertEvent) =>
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.slaAlert, {
        conversationId: conversation.id,
        displayId: conversation.display_id,
        assigneeId: conversation.assignee_id,
        policyName: policy.name,
        metric,
        level,
        dueAt,
      } satisfies Presented<SlaAlert>);
  return {
    updated: ({ conversation, sla, policy }: DomainEvents["conversation.sla_updated"]) =>
      out.to(AGENT_NAMESPACE, rooms.staffFor(conversation), AGENT_EVENTS.sla, {
        conversationId: conversation.id,
        sla: presentSla(sla, policy?.name, conversation),
      }),
    nearBreach: alert("near_breach"),
    breach: alert("breach"),
  };
}
