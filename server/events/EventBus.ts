import { EventEmitter } from "node:events";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { CaseRow } from "../cases/types.ts";
import type { ConversationSlaRow, SlaMetric, SlaPolicyRow } from "../sla/types.ts";
import type { AlertRow } from "../earlyWarning/types.ts";

/** A running service-level target reached 80 % of its time or its due time (recorded once: sla/checkSlaClocks.ts). */
export interface SlaAlertEvent {
  conversation: ConversationRow;
  policy: SlaPolicyRow;
  metric: SlaMetric;
  dueAt: Date;
}

/**
 * Domain events, emitted by commands after their transaction commits. Listeners
 * in the same process react (realtime fan-out, assistant, webhooks: the table in
 * events/listeners.ts); other processes hear of them through Socket.IO's Redis
 * adapter and the job queue.
 */
export interface DomainEvents {
  "conversation.created": { conversation: ConversationRow };
  "conversation.updated": { conversation: ConversationRow; changes: string[] };
  "conversation.status_changed": { conversation: ConversationRow; from: string; to: string };
  "conversation.handoff": { conversation: ConversationRow; reason: string };
  /**
   * `originSocketId`: the widget socket a customer sent the message from. Its acknowledgement
   * already carried the message, so the fan-out leaves that one socket out of the customer's
   * room (the customer's other tabs, and the agents, still get the event).
   */
  "message.created": { conversation: ConversationRow; message: MessageRow; originSocketId?: string };
  /** A stored message changed after the fact (a channel reply's delivery status, the customer's verdict on an answer). */
  "message.updated": { conversation: ConversationRow; message: MessageRow };
  /** `reset`: the draft so far is void (the attempt failed and will be retried): clients drop it. */
  "message.streaming": { conversation: ConversationRow; streamId: string; delta: string; done: boolean; reset?: boolean };
  "csat.created": { conversation: ConversationRow; rating: number; comment: string | null };
  /** The customer's Net Promoter answer (0–10) to a resolved conversation's survey (nps/recordNps.ts). */
  "nps.created": { conversation: ConversationRow; score: number; comment: string | null };
  /** An early-warning threshold was crossed (recorded once per crossing: earlyWarning/checkEarlyWarnings.ts). */
  "early_warning.alert_raised": { alert: AlertRow };
  /** An alert recovered (its metric fell back) or was acknowledged: consoles update it. */
  "early_warning.alert_changed": { alert: AlertRow };
  /** Widget session tokens were revoked (shutdown, or staff ending a customer's sessions): their sockets are closed. */
  "widget.sessions_revoked": { contactId: string; tokenHashes: string[] };
  /** An admin created, changed or deleted an outgoing webhook (processes refresh their list of subscriptions). */
  "webhooks.changed": Record<string, never>;
  /**
   * Who an agent is changed: a session ended (sign-out), the agent was deactivated or
   * their password reset, their role or teams changed. Their console sockets on every
   * node are closed (only those of the named sessions, when given); the console
   * reconnects and is authenticated and given rooms afresh, or refused.
   */
  "agent.access_changed": { agentId: string; reason: string; sessionTokenHashes?: string[] };
  /** An agent's derived availability changed (sockets connected or gone, or the away toggle). */
  /** A complaint case was recorded (cases/commands/openCase.ts). */
  "case.created": { case: CaseRow };
  /** A case changed (owner, classification, outcome, deadline, letter, linked conversation): consoles refresh it. */
  "case.updated": { case: CaseRow; kind: string };
  "case.status_changed": { case: CaseRow; from: string; to: string };
  /** A case's clock passed 80 % of its time or its deadline (recorded once: cases/checkCaseClocks.ts). */
  "case.clock_alert": { case: CaseRow; clock: "acknowledge" | "final_response"; level: "near_breach" | "breach"; dueAt: Date };
  /** A conversation's service levels were worked out anew and changed (sla/refreshConversationSla.ts): consoles update its row. */
  "conversation.sla_updated": { conversation: ConversationRow; sla: ConversationSlaRow; policy: SlaPolicyRow | undefined };
  "conversation.sla_near_breach": SlaAlertEvent;
  "conversation.sla_breach": SlaAlertEvent;
  /** The assistant read a customer's message as negative after it was not (assistant/assistantModule.ts). */
  "conversation.sentiment_negative": { conversation: ConversationRow; messageId: string };
  /** An automation rule's "send webhook event" action (automation/performActions.ts). */
  "conversation.automation_fired": { conversation: ConversationRow; rule: { id: string; name: string }; event: string };
  "agent.presence_changed": { agentId: string; availability: "online" | "away" | "offline"; previous: "online" | "away" | "offline" };
}

export type EventName = keyof DomainEvents;

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  constructor(private readonly onError: (err: unknown, event: string) => void = () => {}) {
    this.emitter.setMaxListeners(50);
  }

  on<E extends EventName>(event: E, listener: (payload: DomainEvents[E]) => void | Promise<void>): () => void {
    // A failing listener is logged; it never breaks the command that emitted nor other listeners.
    const wrapped = (payload: DomainEvents[E]) => {
      try {
        const r = listener(payload);
        if (r && typeof (r as Promise<void>).catch === "function") {
          (r as Promise<void>).catch((err) => this.onError(err, event));
        }
      } catch (err) {
        this.onError(err, event);
      }
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }

  emit<E extends EventName>(event: E, payload: DomainEvents[E]): void {
    this.emitter.emit(event, payload);
  }
}
