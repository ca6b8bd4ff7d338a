import type { Connection } from "./connection.ts";
import type { SessionKeeper } from "./session.ts";
import type { OutboxSender } from "./outboxSender.ts";
import type { TypingSignal } from "./typingSignal.ts";
import type { Conversation } from "./conversation.ts";
import type { Attachments } from "./attachments.ts";
import type { PreChat } from "./preChat.ts";
import type { FollowUp } from "./followUp.ts";
import type { Ratings } from "./ratings.ts";
import type { ReadMarks } from "./readMarks.ts";

/** What a widget's end (shutdown, or a boot on another inbox) stops or forgets in each part. */
export interface ResettableParts {
  readonly connection: Pick<Connection, "reset">;
  readonly session: Pick<SessionKeeper, "reset">;
  readonly sender: Pick<OutboxSender, "stop">;
  readonly typing: Pick<TypingSignal, "cancel">;
  readonly conversation: Pick<Conversation, "reset">;
  readonly attachments: Pick<Attachments, "reset">;
  readonly preChat: Pick<PreChat, "reset">;
  readonly followUp: Pick<FollowUp, "reset">;
  readonly ratings: Pick<Ratings, "forgetThanks">;
  readonly readMarks: Pick<ReadMarks, "reset">;
}

/**
 * Closes the socket, drops the session and its timers, empties the transcript, frees the
 * attachments' previews and forgets the forms' and surveys' state: the parts as a fresh
 * boot finds them. The stores are the caller's (shutdown clears them, another inbox keeps them).
 * The unread count goes to 0 last: the page hears it (`unread`).
 */
export function resetParts(p: ResettableParts): void {
  p.connection.reset();
  p.session.reset();
  p.sender.stop();
  p.typing.cancel();
  p.conversation.reset();
  p.attachments.reset();
  p.preChat.reset();
  p.followUp.reset();
  p.ratings.forgetThanks();
  p.readMarks.reset();
}
