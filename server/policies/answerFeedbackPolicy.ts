import type { MessageRow } from "../models/conversations.ts";
import { AppError, notFound } from "../errors.ts";

type RatedMessage = Pick<MessageRow, "sender_type" | "message_type" | "private" | "content_attributes">;

/**
 * Which messages a customer may mark helpful or not: the assistant's answers from the
 * knowledge base, known by their citations. A handoff's message, a decline ("I'm not
 * sure"), a greeting, small talk, an account tool's figures and people's messages are
 * nothing the content team could fix in an article, so they get no buttons and are
 * refused. The widget draws the buttons by the same rule (widget/src/feedback.ts).
 */
export function isRateableAnswer(m: RatedMessage): boolean {
  const a = m.content_attributes ?? {};
  return (
    m.sender_type === "bot" &&
    m.message_type === "outgoing" &&
    !m.private &&
    a.kind !== "handoff" &&
    a.declined !== true &&
    Array.isArray(a.citations) &&
    a.citations.length > 0
  );
}

/**
 * The answer a customer rates, from their own conversation: a message of another
 * conversation is not_found (ids cannot be probed), one that is not such an answer
 * (an agent's reply, their own message) a validation error saying what can be rated.
 */
export function authorizeRating<M extends RatedMessage>(message: M | undefined): M {
  if (!message) throw notFound("Message");
  if (!isRateableAnswer(message)) {
    throw new AppError("validation_error", "Only the assistant's answers from the knowledge base can be marked helpful or not helpful");
  }
  return message;
}
