import { io, type Socket } from "socket.io-client";
import type { Conversation, Csat, Message } from "./types.ts";
import type { CaseSummary } from "./views/cases.ts";

export interface StreamEvent {
  conversationId: string;
  streamId: string;
  delta: string;
  done: boolean;
  /** The draft is void (the server retries the answer): drop it. */
  reset?: boolean;
}

export interface RealtimeHandlers {
  message(e: { message: Message; conversation: Conversation }): void;
  /** A stored message changed: the customer's verdict on an answer, a channel reply's delivery status. */
  messageUpdated(m: Message): void;
  conversation(c: Conversation): void;
  handoff(e: { conversation: Conversation; reason: string }): void;
  stream(e: StreamEvent): void;
  typing(e: { conversationId: string; from: string; typing: boolean }): void;
  presence(e: { agentId: string; availability: "online" | "away" | "offline" }): void;
  csat(e: { conversationId: string; csat: Csat }): void;
  /** A complaint case changed. */
  case(c: CaseSummary): void;
  /** A complaint's clock near or past its deadline (server/cases/checkCaseClocks.ts). */
  caseAlert(a: { caseId: string; reference: string; clock: string; level: "near_breach" | "breach"; dueAt: string }): void;
  status(connected: boolean, firstConnect: boolean): void;
  unauthorized(): void;
}

/** The console's live connection: Socket.IO namespace /agent, authenticated by the session cookie. */
export function connectRealtime(h: RealtimeHandlers): Socket {
  const socket = io("/agent", { withCredentials: true, reconnectionDelayMax: 10_000 });
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are checked before use
  const events: Record<string, (e: any) => unknown> = {
    message: (e) => e?.message && e?.conversation && h.message(e),
    "message:updated": (e) => e?.message?.id && h.messageUpdated(e.message),
    conversation: (c) => c?.id && h.conversation(c),
    handoff: (e) => e?.conversation && h.handoff(e),
    "message:stream": (e) => e?.conversationId && h.stream(e),
    typing: (e) => e?.conversationId && h.typing(e),
    presence: (e) => e?.agentId && h.presence(e),
    csat: (e) => e?.conversationId && e?.csat && h.csat(e),
    case: (c) => c?.id && c?.reference && h.case(c),
    case_alert: (a) => a?.caseId && a?.reference && h.caseAlert(a),
  };
  for (const [name, handle] of Object.entries(events)) socket.on(name, handle);
  // Under load the server sends the events of a few milliseconds as one packet, in
  // order (server/services/realtime/batchAgentEvents.ts).
  socket.on("events", (batch: unknown) => {
    if (!Array.isArray(batch)) return;
    for (const item of batch) if (Array.isArray(item) && Object.hasOwn(events, item[0])) events[item[0]]!(item[1]);
  });
  return socket;
}
