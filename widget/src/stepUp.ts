import { WIDGET_REQUESTS } from "../../shared/wire/index.ts";
import type { ChatItem } from "./chat.ts";
import type { Requests } from "./connection.ts";
import { format, type Strings } from "./locales/index.ts";
import type { ServerStepUp } from "./types.ts";
import type { StepUpView } from "./ui/viewState.ts";

/** A challenge as the server last described it, and the code box's state. */
export interface Challenge {
  server: ServerStepUp;
  busy: boolean;
  message?: string;
  tone?: "error" | "info";
}

/** The challenge the assistant's latest message asks a code for, if it does. */
export function askedStepUp(items: ChatItem[]): ServerStepUp | undefined {
  let last: ChatItem | undefined;
  for (let i = items.length - 1; i >= 0 && !last; i--) if (items[i]!.sender === "bot" && items[i]!.type !== "activity") last = items[i];
  const given = last && last.attributes.kind === "step_up" ? (last.attributes.stepUp as ServerStepUp | undefined) : undefined;
  return given && typeof given.id === "string" ? given : undefined;
}

/**
 * What the code box shows of a challenge at `now`: the server's word with the time applied (a
 * pending code past its expiry is expired; a resend becomes possible at resendAt), and when that
 * changes next (undefined: it does not).
 */
export function stepUpAt(c: Challenge, now: number): { view: StepUpView; changesAt?: number } {
  const expiresAt = Date.parse(c.server.expiresAt);
  const resendAt = Date.parse(c.server.resendAt);
  const status: StepUpView["status"] =
    c.server.status === "pending" && now >= expiresAt
      ? "expired"
      : c.server.status === "superseded" || c.server.status === "undelivered"
        ? "closed"
        : c.server.status;
  const changesAt = [expiresAt, resendAt].filter((t) => t > now).sort((a, b) => a - b)[0];
  return {
    view: {
      id: c.server.id,
      destination: c.server.destination,
      status,
      attemptsLeft: c.server.attemptsLeft,
      canResend: (status === "pending" || status === "expired") && c.server.sendsLeft > 0 && now >= resendAt,
      busy: c.busy,
      message: status === "pending" ? c.message : undefined,
      tone: c.tone,
    },
    changesAt,
  };
}

/**
 * Step-up verification in the widget: the code box under the assistant's message that asks for a
 * one-time code, the code checked by the server (stepup:verify; the assistant carries on by
 * itself when it is right), and "send a new code" (stepup:resend).
 */
export class StepUps {
  /** Challenges as the server last described them, and the code box's state, by challenge id. */
  private challenges = new Map<string, Challenge>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: { readonly strings: Strings; conversationId(): string | undefined; render(): void },
    private readonly requests: Requests,
  ) {}

  async verify(challengeId: string, code: string): Promise<void> {
    const conversationId = this.host.conversationId();
    const u = this.challenges.get(challengeId);
    if (!conversationId || !u || u.busy) return;
    const s = this.host.strings;
    if (!/^\d{6}$/.test(code)) {
      this.challenges.set(challengeId, { ...u, message: s.stepUpInvalid, tone: "error" });
      return this.host.render();
    }
    this.challenges.set(challengeId, { ...u, busy: true, message: undefined });
    this.host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.verifyStepUp, { conversationId, challengeId, code });
    if (r.ok) {
      const wrong = r.outcome === "wrong";
      this.challenges.set(challengeId, {
        server: r.stepUp,
        busy: false,
        message: wrong ? format(s.stepUpWrong, { n: r.stepUp.attemptsLeft }) : undefined,
        tone: wrong ? "error" : undefined,
      });
    } else this.challenges.set(challengeId, { ...u, busy: false, message: r.error.message || s.errGeneric, tone: "error" });
    this.host.render();
  }

  /** A new code replaces the old, to the same phone or address. */
  async resend(challengeId: string): Promise<void> {
    const conversationId = this.host.conversationId();
    const u = this.challenges.get(challengeId);
    if (!conversationId || !u || u.busy) return;
    const s = this.host.strings;
    this.challenges.set(challengeId, { ...u, busy: true, message: undefined });
    this.host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.resendStepUp, { conversationId, challengeId });
    if (r.ok)
      this.challenges.set(challengeId, {
        server: r.stepUp,
        busy: false,
        message: format(s.stepUpResent, { destination: r.stepUp.destination }),
        tone: "info",
      });
    else
      this.challenges.set(challengeId, {
        ...u,
        busy: false,
        message: r.error.code === "conflict" ? s.stepUpNoMore : r.error.message || s.errGeneric,
        tone: "error",
      });
    this.host.render();
  }

  /**
   * The code box while the assistant's latest message asks for a code, and a re-render
   * scheduled for the next moment it changes by itself (the code expires, a resend becomes possible).
   */
  view(items: ChatItem[], phase: string): StepUpView | null {
    clearTimeout(this.timer);
    if (phase !== "assistant") return null;
    const given = askedStepUp(items);
    if (!given) return null;
    let u = this.challenges.get(given.id);
    if (!u) this.challenges.set(given.id, (u = { server: given, busy: false }));
    const now = Date.now();
    const { view, changesAt } = stepUpAt(u, now);
    if (changesAt !== undefined) this.timer = setTimeout(() => this.host.render(), Math.min(changesAt - now + 50, 2 ** 31 - 1));
    // The id the assistant's message gave (the server's answers keep it).
    return { ...view, id: given.id };
  }
}
