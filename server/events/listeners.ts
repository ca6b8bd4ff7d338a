import type { Server as SocketServer } from "socket.io";
import type { AppContext } from "../context.ts";
import type { DomainEvents, EventBus, EventName } from "./EventBus.ts";
import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { fanOutToSockets } from "../services/realtime/fanOutToSockets.ts";
import { closeRevokedSessions } from "../services/realtime/widgetNamespace.ts";
import { answerCustomerMessage } from "../assistant/assistantModule.ts";
import { assignHandedOff, fillAfterReassignment, fillFreedCapacity, followPresence } from "../assignment/assignmentModule.ts";
import { queueReplyDelivery } from "../channels/deliverReply.ts";
import { webhookFanOut } from "../webhooks/deliverWebhook.ts";
import { caseSocketEvents } from "../cases/broadcastCaseEvents.ts";
import { slaSocketEvents } from "../sla/broadcastSlaEvents.ts";
import { slaTriggers } from "../sla/slaTriggers.ts";
import { automationTriggers } from "../automation/automationTriggers.ts";
import { npsTriggers } from "../nps/askNps.ts";
import { earlyWarningSocketEvents } from "../earlyWarning/broadcastEarlyWarnings.ts";
import { WIDGET_NAMESPACE } from "../../shared/wire/index.ts";

export type Listener<E extends EventName> = (payload: DomainEvents[E]) => void | Promise<void>;

/**
 * Every domain event and who listens to it, in the order they are called. Total on
 * purpose: a new event in DomainEvents does not type-check until it has a row here,
 * even an empty one. A listener that is `undefined` is absent from this process.
 */
export type ListenerTable = { [E in EventName]: Array<Listener<E> | undefined> };

/** The realtime parts this process has: sockets fan-out needs a broadcaster, revocation the Socket.IO server. */
export interface RealtimeAudience {
  /** Sockets on every node: this process's Socket.IO server, or the Redis emitter in a worker. */
  sockets?: Broadcaster;
  /** This process's Socket.IO server, when it runs the realtime service. */
  io?: SocketServer;
}

/**
 * Who reacts to each domain event, in one place. Commands emit after their
 * transaction commits (events/EventBus.ts); listeners only translate an event into
 * socket packets or jobs, so the slow work runs on a worker, once, whichever node
 * saw the event. Sockets come first: what the customer and the agents see does not
 * wait for the jobs to be queued.
 */
export function domainEventListeners(ctx: AppContext, realtime: RealtimeAudience): ListenerTable {
  const sockets = realtime.sockets && fanOutToSockets(realtime.sockets);
  const webhooks = webhookFanOut(ctx);
  const cases = realtime.sockets && caseSocketEvents(realtime.sockets);
  const slaSockets = realtime.sockets && slaSocketEvents(realtime.sockets);
  const sla = slaTriggers(ctx);
  const rules = automationTriggers(ctx);
  const nps = npsTriggers(ctx);
  const earlyWarnings = realtime.sockets && earlyWarningSocketEvents(realtime.sockets);
  return {
    "conversation.created": [sockets?.conversationChanged, sla.created, webhooks.deliver("conversation.created"), rules.created],
    "conversation.updated": [sockets?.conversationChanged, (e) => fillAfterReassignment(ctx, e), sla.updated, rules.updated],
    "conversation.status_changed": [
      sockets?.conversationChanged,
      (e) => fillFreedCapacity(ctx, e),
      sla.statusChanged,
      nps.statusChanged,
      webhooks.deliver("conversation.status_changed"),
      rules.statusChanged,
    ],
    "conversation.handoff": [sockets?.handoff, (e) => assignHandedOff(ctx, e), webhooks.deliver("conversation.handoff")],
    "message.created": [
      sockets?.messageCreated,
      (e) => answerCustomerMessage(ctx, e),
      (e) => queueReplyDelivery(ctx, e.conversation, e.message),
      sla.messageCreated,
      webhooks.deliver("message.created"),
      rules.messageCreated,
    ],
    "message.updated": [sockets?.messageUpdated],
    "message.streaming": [sockets?.messageStreaming],
    "csat.created": [sockets?.csatCreated, webhooks.deliver("csat.created")],
    "nps.created": [webhooks.deliver("nps.created")],
    "early_warning.alert_raised": [earlyWarnings?.raised, webhooks.deliver("early_warning.alert_raised")],
    "early_warning.alert_changed": [earlyWarnings?.changed],
    "widget.sessions_revoked": [realtime.io && closeRevokedSessions(realtime.io.of(WIDGET_NAMESPACE))],
    "webhooks.changed": [webhooks.subscriptionsChanged],
    "agent.access_changed": [sockets?.agentAccessChanged],
    "agent.presence_changed": [sockets?.agentPresenceChanged, (e) => followPresence(ctx, e)],
    "case.created": [cases?.changed, webhooks.deliver("case.created")],
    "case.updated": [cases?.changed],
    "case.status_changed": [cases?.changed, webhooks.deliver("case.status_changed")],
    "case.clock_alert": [cases?.clockAlert, webhooks.deliver("case.clock_alert")],
    "conversation.sla_updated": [slaSockets?.updated],
    "conversation.sla_near_breach": [slaSockets?.nearBreach, rules.slaNearBreach],
    "conversation.sla_breach": [slaSockets?.breach, webhooks.deliver("conversation.sla_breach"), rules.slaBreach],
    "conversation.sentiment_negative": [rules.sentimentNegative],
    "conversation.automation_fired": [webhooks.deliver("conversation.automation_fired")],
  };
}

/** Subscribes the table's listeners to the bus, row by row in the table's order. */
/** Subscribes every listener of the table; the function returned unsubscribes them all. */
export function subscribeListeners(bus: EventBus, table: ListenerTable): () => void {
  const unsubscribe: Array<() => void> = [];
  for (const event of Object.keys(table) as EventName[]) {
    for (const listener of table[event] as Array<Listener<typeof event> | undefined>) {
      if (listener) unsubscribe.push(bus.on(event, listener));
    }
  }
  return () => {
    for (const off of unsubscribe) off();
  };
}
