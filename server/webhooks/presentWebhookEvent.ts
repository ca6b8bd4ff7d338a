import type { DomainEvents } from "../events/EventBus.ts";
import type { WebhookEvent } from "./types.ts";
import { presentConversation } from "../presenters/presentConversation.ts";
import { presentMessage } from "../presenters/presentMessage.ts";
import { redactText } from "../privacy/redact.ts";
import { presentCase } from "../cases/presentCase.ts";
import { presentAlert } from "../earlyWarning/presentAlert.ts";

/**
 * The JSON body of an outgoing webhook delivery. Conversations are shown as to
 * staff (the bank's own systems receive these); messages without the assistant's
 * internal trace. Private notes are never passed here (the caller filters them).
 * What customers wrote goes with card, ID and phone numbers masked (security
 * finding 5): a receiving CRM or data lake is no place for a card number.
 */
export function presentWebhookEvent<E extends WebhookEvent>(id: string, event: E, payload: DomainEvents[E], at = new Date()) {
  // A complaint case's events carry the case (its summary is the customer's words: masked like messages).
  if (event === "case.created" || event === "case.status_changed" || event === "case.clock_alert") {
    const p = payload as DomainEvents["case.created" | "case.status_changed" | "case.clock_alert"];
    const shown = presentCase(p.case);
    const data: Record<string, unknown> = { case: { ...shown, summary: redactText(shown.summary).text } };
    if (event === "case.status_changed") {
      const { from, to } = payload as DomainEvents["case.status_changed"];
      Object.assign(data, { from, to });
    } else if (event === "case.clock_alert") {
      const { clock, level, dueAt } = payload as DomainEvents["case.clock_alert"];
      Object.assign(data, { clock, level, dueAt: dueAt.toISOString() });
    }
    return { id, event, createdAt: at.toISOString(), data };
  }
  if (event === "conversation.sla_breach") {
    const { conversation, policy, metric, dueAt } = payload as DomainEvents["conversation.sla_breach"];
    const data = {
      conversation: presentConversation(conversation),
      policy: { id: policy.id, name: policy.name },
      metric,
      dueAt: dueAt.toISOString(),
    };
    return { id, event, createdAt: at.toISOString(), data };
  }
  if (event === "conversation.automation_fired") {
    const { conversation, rule, event: trigger } = payload as DomainEvents["conversation.automation_fired"];
    return { id, event, createdAt: at.toISOString(), data: { conversation: presentConversation(conversation), rule, trigger } };
  }
  if (event === "early_warning.alert_raised") {
    // The alert and the ids of the conversations behind it; a declined question's wording is already redacted.
    const { alert } = payload as DomainEvents["early_warning.alert_raised"];
    return { id, event, createdAt: at.toISOString(), data: { alert: presentAlert(alert) } };
  }
  const p = payload as DomainEvents[Exclude<
    WebhookEvent,
    | "case.created"
    | "case.status_changed"
    | "case.clock_alert"
    | "conversation.sla_breach"
    | "conversation.automation_fired"
    | "early_warning.alert_raised"
  >];
  const data: Record<string, unknown> = { conversation: presentConversation(p.conversation) };
  if (event === "message.created") {
    const { message } = payload as DomainEvents["message.created"];
    const shown = presentMessage(message, "contact");
    data.message = { ...shown, content: redactText(message.content).text, sender: { type: message.sender_type, id: message.sender_id } };
  } else if (event === "conversation.status_changed") {
    const { from, to } = payload as DomainEvents["conversation.status_changed"];
    Object.assign(data, { from, to });
  } else if (event === "conversation.handoff") {
    data.reason = (payload as DomainEvents["conversation.handoff"]).reason;
  } else if (event === "csat.created") {
    const { rating, comment } = payload as DomainEvents["csat.created"];
    Object.assign(data, { rating, comment: comment === null || comment === undefined ? comment : redactText(comment).text });
  } else if (event === "nps.created") {
    const { score, comment } = payload as DomainEvents["nps.created"];
    Object.assign(data, { score, comment: comment === null ? null : redactText(comment).text });
  }
  return { id, event, createdAt: at.toISOString(), data };
}

export type WebhookEventBody = ReturnType<typeof presentWebhookEvent>;
