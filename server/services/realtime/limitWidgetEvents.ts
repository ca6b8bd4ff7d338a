import type { Socket } from "socket.io";
import { sharedLimit, type Limit, type SharedLimitStore } from "../../security/sharedRateLimit.ts";
import { WIDGET_REQUESTS } from "../../../shared/wire/index.ts";

/**
 * How often a customer may send each widget event, per contact (every socket of
 * one session counts together). A hostile tester's single socket created 3,000
 * conversations and slowed every other customer's acknowledgements to seconds:
 * `typing`, `conversation:create` and `csat` had no limit, and the message limit ran
 * after a database query. These run before the payload is even validated.
 * New conversations are also limited per client address (PER_ADDRESS), since each
 * is a row in the agents' inbox; other events are not, as many customers can share
 * one address (a carrier's NAT, a branch's Wi-Fi).
 */
export const WIDGET_EVENT_LIMITS: Record<string, { points: number; seconds: number }> = {
  [WIDGET_REQUESTS.sendMessage]: { points: 20, seconds: 10 },
  [WIDGET_REQUESTS.typing]: { points: 30, seconds: 10 },
  [WIDGET_REQUESTS.createConversation]: { points: 5, seconds: 60 },
  [WIDGET_REQUESTS.csat]: { points: 5, seconds: 60 },
  [WIDGET_REQUESTS.nps]: { points: 5, seconds: 60 },
  [WIDGET_REQUESTS.transcript]: { points: 5, seconds: 60 },
  // Ratings of answers: one row per answer, so a flood changes nothing but a few rows; this
  // leaves room to rate every answer of a long conversation and change one's mind.
  [WIDGET_REQUESTS.feedback]: { points: 20, seconds: 60 },
  // A code has five attempts of its own; this stops a script cycling through fresh
  // challenges, and resends (each a text the bank pays for) are rarer still.
  [WIDGET_REQUESTS.verifyStepUp]: { points: 10, seconds: 60 },
  [WIDGET_REQUESTS.resendStepUp]: { points: 3, seconds: 60 },
};
/** Any other event (sync, read receipts...). */
const OTHER = { points: 60, seconds: 10 };
/** New conversations a minute from one client address, all its customers together. */
const PER_ADDRESS: Record<string, { points: number; seconds: number }> = {
  [WIDGET_REQUESTS.createConversation]: { points: 60, seconds: 60 },
};

const MESSAGES: Record<string, string> = {
  [WIDGET_REQUESTS.sendMessage]: "You are sending messages too quickly",
  [WIDGET_REQUESTS.createConversation]: "Too many new conversations: please wait a minute",
  [WIDGET_REQUESTS.verifyStepUp]: "Too many codes tried: please wait a minute",
  [WIDGET_REQUESTS.resendStepUp]: "Too many codes asked for: please wait a minute",
};

export interface WidgetEventLimiter {
  /** Installs the limit on a connected socket (its contact id and address as keys). */
  attach(socket: Socket, contactId: string): void;
}

/**
 * The limits of every widget event, counted per contact (and new conversations per
 * address) on every node together through Redis when there is one (server/security/sharedRateLimit.ts).
 */
export function widgetEventLimiter(redis?: SharedLimitStore): WidgetEventLimiter {
  const make = (points: number, duration: number, keyPrefix: string): Limit => sharedLimit(redis, points, duration, keyPrefix);
  const limiters = new Map<string, { contact: Limit; address?: Limit }>();
  const limiterFor = (event: string) => {
    const rule = WIDGET_EVENT_LIMITS[event] ?? OTHER;
    const name = WIDGET_EVENT_LIMITS[event] ? event : "*";
    let l = limiters.get(name);
    if (!l) {
      const perAddress = PER_ADDRESS[name];
      l = {
        contact: make(rule.points, rule.seconds, `c:${name}`),
        address: perAddress && make(perAddress.points, perAddress.seconds, `a:${name}`),
      };
      limiters.set(name, l);
    }
    return l;
  };
  return {
    attach(socket, contactId) {
      const address = socket.handshake.address;
      socket.use((packet, next) => {
        const [event] = packet;
        const l = limiterFor(String(event));
        Promise.all([l.contact(contactId), l.address?.(address)]).then(
          () => next(),
          () => {
            // Answered through the acknowledgement, like any refusal; the handler never runs.
            const ack = packet[packet.length - 1];
            const message = MESSAGES[String(event)] ?? "Too many requests: please slow down";
            if (typeof ack === "function") ack({ ok: false, error: { code: "rate_limited", message, retryable: true } });
          },
        );
      });
    },
  };
}
