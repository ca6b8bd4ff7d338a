import { WIDGET_REQUESTS, type Message } from "../../shared/wire/index.ts";
import type { Chat, ChatItem } from "./chat.ts";
import type { Requests } from "./connection.ts";
import { canRate, feedbackState, type FeedbackState, type SentFeedback } from "./feedback.ts";
import { patchUi, type KeyValue, type SavedUi } from "./storage.ts";
import type { AnswerRating, SessionResponse } from "./types.ts";
import type { CsatMode } from "./ui/viewState.ts";

/** The seq of the latest "resolved" line: a rating or answer given before it belongs to an earlier resolution. */
export function resolvedSeqOf(items: ChatItem[]): number {
  let seq = 0;
  for (const i of items)
    if (i.type === "activity" && i.attributes.kind === "status" && i.attributes.status === "resolved" && i.seq) seq = i.seq;
  return seq;
}

/** Where one survey (the rating, or the recommendation question) stands for the conversation on screen. */
export interface SurveyFacts {
  conversationId: string | undefined;
  resolved: boolean;
  /** The inbox asks it. */
  enabled: boolean;
  /** Answered (or skipped) on this page for this conversation: say thanks. */
  thanked: boolean;
  /** The seq at which it was last answered or skipped, for this conversation. */
  answeredAt: number | undefined;
  /** The seq of the latest resolution (0: none seen), and the highest seq on screen. */
  resolvedSeq: number;
  maxSeq: number;
  sending: boolean;
  failed: boolean;
}

/** Asked once per resolution: not when answered or skipped since the conversation was last resolved. */
export function surveyMode(f: SurveyFacts): CsatMode {
  if (!f.conversationId || !f.resolved || !f.enabled) return "none";
  if (f.thanked) return "thanks";
  if (f.answeredAt !== undefined && f.answeredAt >= (f.resolvedSeq || f.maxSeq)) return "none";
  return f.sending ? "sending" : f.failed ? "error" : "ask";
}

/** The survey's form is on screen (asking, sending or saying it failed). */
export const asking = (m: CsatMode) => m === "ask" || m === "sending" || m === "error";

/** One survey's answer on its way, refused, or thanked for. */
class Survey {
  sending = false;
  failed = false;
  thanksFor?: string;
}

/**
 * What the customer says of the service: the rating after resolution (csat), the recommendation
 * question after it when the inbox asks it (nps), and 👍 / 👎 under the assistant's answers
 * (message:feedback). What was answered or skipped is kept in the saved UI state, per conversation.
 */
export class Ratings {
  private readonly csat = new Survey();
  private readonly nps = new Survey();
  /** 👍 / 👎 clicked on this page, by answer (message id). */
  private sentFeedback = new Map<string, SentFeedback>();

  constructor(
    private readonly host: {
      readonly chat: Chat;
      readonly session: SessionResponse | undefined;
      readonly ui: KeyValue<SavedUi>;
      /** The answer as stored with its verdict. */
      accepted(m: Message): void;
      render(): void;
    },
    private readonly requests: Requests,
  ) {}

  async rate(rating: number, comment: string): Promise<void> {
    const conversationId = this.host.chat.conversationId;
    if (!conversationId || this.csat.sending) return;
    this.csat.sending = true;
    this.csat.failed = false;
    this.host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.csat, {
      conversationId,
      rating,
      ...(comment ? { comment: comment.slice(0, 1000) } : {}),
    });
    this.csat.sending = false;
    if (r.ok) {
      this.remember("rated", conversationId);
      this.csat.thanksFor = conversationId;
    } else this.csat.failed = true;
    this.host.render();
  }

  /** The recommendation answer (WIDGET_REQUESTS.nps); once sent or skipped it is not asked again for this resolution. */
  async answerNps(score: number, comment: string): Promise<void> {
    const conversationId = this.host.chat.conversationId;
    if (!conversationId || this.nps.sending) return;
    this.nps.sending = true;
    this.nps.failed = false;
    this.host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.nps, {
      conversationId,
      score,
      ...(comment ? { comment: comment.slice(0, 1000) } : {}),
    });
    this.nps.sending = false;
    if (r.ok) {
      this.remember("npsAnswered", conversationId);
      this.nps.thanksFor = conversationId;
    } else this.nps.failed = true;
    this.host.render();
  }

  skipRating(): void {
    const id = this.host.chat.conversationId;
    if (!id) return;
    this.remember("rated", id);
    this.host.render();
  }

  skipNps(): void {
    const id = this.host.chat.conversationId;
    if (!id) return;
    this.remember("npsAnswered", id);
    this.host.render();
  }

  /**
   * 👍 / 👎 under an answer: one click records it (message:feedback), the other button
   * changes it; the server keeps one verdict per answer, so a click sent twice is harmless.
   */
  async rateAnswer(messageId: string, rating: AnswerRating): Promise<void> {
    const chat = this.host.chat;
    const conversationId = chat.conversationId;
    const item = chat.list().find((i) => i.id === messageId);
    if (!conversationId || !item || !canRate(item)) return;
    const shown = feedbackState(item, this.sentFeedback.get(messageId));
    if (shown.sending || (shown.rating === rating && !shown.failed)) return;
    this.sentFeedback.set(messageId, { rating, status: "sending" });
    this.host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.feedback, { conversationId, messageId, rating });
    if (conversationId !== this.host.chat.conversationId) return;
    this.sentFeedback.set(messageId, { rating, status: r.ok ? "saved" : "failed" });
    // The answer as stored, with its verdict: painted into its line (the row is not redrawn).
    if (r.ok && r.message) this.host.accepted(r.message);
    this.host.render();
  }

  csatMode(items: ChatItem[]): CsatMode {
    return surveyMode(this.facts(this.csat, "rated", !!this.host.session?.inbox.csatEnabled, items));
  }

  /** Asked after the rating is given, skipped or not asked, when the inbox asks it (session.inbox.npsEnabled). */
  npsMode(items: ChatItem[], csat: CsatMode): CsatMode {
    if (asking(csat)) return "none";
    return surveyMode(this.facts(this.nps, "npsAnswered", !!this.host.session?.inbox.npsEnabled, items));
  }

  /** The 👍 / 👎 under each answer that can be rated, by message id. */
  feedback(items: ChatItem[]): Record<string, FeedbackState> {
    const feedback: Record<string, FeedbackState> = {};
    for (const i of items) if (i.id && canRate(i)) feedback[i.id] = feedbackState(i, this.sentFeedback.get(i.id));
    return feedback;
  }

  /** Reopened, or a new conversation: a later resolution is asked afresh. */
  forgetThanks(): void {
    this.csat.thanksFor = this.nps.thanksFor = undefined;
  }

  /** Another conversation on screen. */
  resetConversation(): void {
    this.csat.failed = this.csat.sending = false;
    this.nps.failed = this.nps.sending = false;
    this.sentFeedback.clear();
  }

  private facts(survey: Survey, kept: "rated" | "npsAnswered", enabled: boolean, items: ChatItem[]): SurveyFacts {
    const chat = this.host.chat;
    const id = chat.conversationId;
    return {
      conversationId: id,
      resolved: chat.status === "resolved",
      enabled,
      thanked: !!id && survey.thanksFor === id,
      answeredAt: id ? this.host.ui.get()?.[kept]?.[id] : undefined,
      resolvedSeq: resolvedSeqOf(items),
      maxSeq: chat.maxSeq,
      sending: survey.sending,
      failed: survey.failed,
    };
  }

  private remember(kept: "rated" | "npsAnswered", conversationId: string) {
    const ui = this.host.ui;
    patchUi(ui, { [kept]: { ...(ui.get()?.[kept] ?? {}), [conversationId]: this.host.chat.maxSeq } });
  }
}
