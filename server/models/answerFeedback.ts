/** The customer's verdict on one of the assistant's answers (answer_feedback, 022_answer_feedback.sql). */
export const ANSWER_RATINGS = ["helpful", "not_helpful"] as const;
export type AnswerRating = (typeof ANSWER_RATINGS)[number];
/** How it was given: the buttons under the answer, or in words ("that didn't answer my question"). */
export type AnswerFeedbackVia = "button" | "words";

export interface AnswerFeedbackRow {
  message_id: string;
  conversation_id: string;
  rating: AnswerRating;
  via: AnswerFeedbackVia;
  created_at: Date;
  updated_at: Date;
}

/** The copy of the verdict kept on the answer (content_attributes.feedback), shown beside it in the widget and the console. */
export interface AnswerFeedbackMark {
  rating: AnswerRating;
  via: AnswerFeedbackVia;
  updatedAt: string;
}
