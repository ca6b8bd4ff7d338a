import { io, type Socket } from "socket.io-client";
import { AGENT_EVENTS, AGENT_NAMESPACE, type AgentEvents } from "../../shared/wire/index.ts";
import type { Conversation, StreamEvent, TypingEvent } from "./types.ts";

export type { StreamEvent };

/** What the console does with each event the server pushes (shared/wire: AgentEvents), and with the connection's state. */
export interface RealtimeHandlers {
  message(e: AgentEvents["message"]): void;
  /** A stored message changed: the customer's verdict on an answer, a channel reply's delivery status. */
  messageUpdated(m: AgentEvents["message:updated"]["message"]): void;
  conversation(c: AgentEvents["conversation"]): void;
  handoff(e: AgentEvents["handoff"]): void;
  stream(e: AgentEvents["message:stream"]): void;
  typing(e: AgentEvents["typing"]): void;
  presence(e: AgentEvents["presence"]): void;
  csat(e: AgentEvents["csat"]): void;
  /** A complaint case changed. */
  case(c: AgentEvents["case"]): void;
  /** A complaint's clock near or past its deadline (server/cases/checkCaseClocks.ts). */
  caseAlert(a: AgentEvents["case_alert"]): void;
  /** A conversation's service levels changed (server/sla/). */
  sla(e: AgentEvents["sla"]): void;
  /** A service-level target at 80 % of its time or past it. */
  slaAlert(a: AgentEvents["sla_alert"]): void;
  /** An early-warning alert raised, recovered or acknowledged (admins; server/earlyWarning/). */
  earlyWarning(a: AgentEvents["early_warning"]): void;
  status(connected: boolean, firstConnect: boolean): void;
  unauthorized(): void;
}

/** The console's live connection: Socket.IO namespace /agent, authenticated by the session cookie. */
export function connectRealtime(h: RealtimeHandlers): Socket {
  const socket = io(AGENT_NAMESPACE, { withCredentials: true, reconnectionDelayMax: 10_000 });
  let everConnected = false;
  socket.on("connect", () => {
    h.status(true, !everConnected);
    everConnected = true;
  });
  socket.on("disconnect", (reason) => {
    h.status(false, false);
    // The server closed it (signed out elsewhere, or a role without an inbox): don't loop.
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 3000);
  });
  socket.on("connect_error", (err) => {
    h.status(false, false);
    if (err.message === "unauthenticated") {
      socket.disconnect();
      h.unauthorized();
    }
  });
  // Payloads are checked before use: a field the handler needs is there, or the event is dropped.
  type Handlers = { [E in Exclude<keyof AgentEvents, "events">]: (e: Partial<AgentEvents[E]> | undefined) => unknown };
  const events: Handlers = {
    [AGENT_EVENTS.message]: (e) => e?.message && e?.conversation && h.message(e as AgentEvents["message"]),
    [AGENT_EVENTS.messageUpdated]: (e) => e?.message?.id && h.messageUpdated(e.message),
    [AGENT_EVENTS.conversation]: (c) => c?.id && h.conversation(c as Conversation),
    [AGENT_EVENTS.handoff]: (e) => e?.conversation && h.handoff(e as AgentEvents["handoff"]),
    [AGENT_EVENTS.stream]: (e) => e?.conversationId && h.stream(e as StreamEvent),
    [AGENT_EVENTS.typing]: (e) => e?.conversationId && h.typing(e as TypingEvent),
    [AGENT_EVENTS.presence]: (e) => e?.agentId && h.presence(e as AgentEvents["presence"]),
    [AGENT_EVENTS.csat]: (e) => e?.conversationId && e?.csat && h.csat(e as AgentEvents["csat"]),
    [AGENT_EVENTS.case]: (c) => c?.id && c?.reference && h.case(c as AgentEvents["case"]),
    [AGENT_EVENTS.caseAlert]: (a) => a?.caseId && a?.reference && h.caseAlert(a as AgentEvents["case_alert"]),
    [AGENT_EVENTS.sla]: (e) => e?.conversationId && e.sla !== undefined && h.sla(e as AgentEvents["sla"]),
    [AGENT_EVENTS.slaAlert]: (a) => a?.conversationId && a?.metric && a?.level && h.slaAlert(a as AgentEvents["sla_alert"]),
    [AGENT_EVENTS.earlyWarning]: (a) =>
      a?.id && a?.metric && Array.isArray(a.conversationIds) && h.earlyWarning(a as AgentEvents["early_warning"]),
  };
  for (const [name, handle] of Object.entries(events)) socket.on(name, handle);
  // Under load the server sends the events of a few milliseconds as one packet, in
  // order (server/services/realtime/batchAgentEvents.ts).
  socket.on(AGENT_EVENTS.batch, (batch: unknown) => {
    if (!Array.isArray(batch)) return;
    for (const item of batch) if (Array.isArray(item) && Object.hasOwn(events, item[0])) events[item[0] as keyof Handlers](item[1]);
  });
  return socket;
}
