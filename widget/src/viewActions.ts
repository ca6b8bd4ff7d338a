import type { ViewActions } from "./ui/viewState.ts";
import type { TypingSignal } from "./typingSignal.ts";
import type { Ratings } from "./ratings.ts";
import type { Attachments } from "./attachments.ts";
import type { PreChat } from "./preChat.ts";
import type { FollowUp } from "./followUp.ts";
import type { TranscriptByEmail } from "./transcriptByEmail.ts";
import type { StepUps } from "./stepUp.ts";

/** What the view's buttons and forms reach: the widget's own commands, and of each part only what a control calls. */
export interface ActionTargets {
  readonly widget: {
    toggle(): void;
    open(): void;
    close(): void;
    send(text: string): void;
    retry(clientId: string): void;
    newConversation(): void;
    dismissPreview(): void;
    /** The words "talk to a person" in the customer's language, sent as their message. */
    talkToPersonText(): string;
  };
  readonly typing: Pick<TypingSignal, "typed">;
  readonly ratings: Pick<Ratings, "rate" | "rateAnswer" | "skipRating" | "answerNps" | "skipNps">;
  readonly attachments: Pick<Attachments, "attach" | "discard" | "src" | "open">;
  readonly preChat: Pick<PreChat, "submit">;
  readonly followUp: Pick<FollowUp, "leaveMessage">;
  readonly transcript: Pick<TranscriptByEmail, "send">;
  readonly stepUps: Pick<StepUps, "verify" | "resend">;
}

/** The view's actions (ui/viewState.ts ViewActions), each handed to the part that does it; the parts' promises report their own failures on screen. */
export function viewActions(t: ActionTargets): ViewActions {
  const { widget } = t;
  return {
    toggle: () => widget.toggle(),
    open: () => widget.open(),
    close: () => widget.close(),
    send: (text) => widget.send(text),
    retry: (clientId) => widget.retry(clientId),
    quickReply: (text) => widget.send(text),
    talkToPerson: () => widget.send(widget.talkToPersonText()),
    typing: () => t.typing.typed(),
    rate: (rating, comment) => void t.ratings.rate(rating, comment),
    rateAnswer: (messageId, rating) => void t.ratings.rateAnswer(messageId, rating),
    skipRating: () => t.ratings.skipRating(),
    answerNps: (score, comment) => void t.ratings.answerNps(score, comment),
    skipNps: () => t.ratings.skipNps(),
    newConversation: () => widget.newConversation(),
    attach: (file) => void t.attachments.attach(file),
    discard: (clientId) => t.attachments.discard(clientId),
    submitPreChat: (values) => void t.preChat.submit(values),
    leaveMessage: (email) => void t.followUp.leaveMessage(email),
    transcript: (email) => void t.transcript.send(email),
    verifyCode: (id, code) => void t.stepUps.verify(id, code),
    resendCode: (id) => void t.stepUps.resend(id),
    attachmentSrc: (a) => t.attachments.src(a),
    openAttachment: (a) => void t.attachments.open(a),
    dismissPreview: () => widget.dismissPreview(),
  };
}
