-- Feedback closes the loop (issue #12): the customer's verdict on one of the
-- assistant's answers from the knowledge base. One row per answer: a change of
-- mind overwrites the rating (updated_at says when; the audit log keeps the
-- change). `via` says how it was given: the 👍/👎 buttons under the answer, or
-- in words ("that didn't answer my question", which the assistant recognises).
-- Reports read it for containment, the helpful rate and the answers the content
-- team should fix; the message keeps a copy (content_attributes.feedback) for
-- the widget and the console to show beside it.
CREATE TABLE answer_feedback (
  message_id uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  rating text NOT NULL CHECK (rating IN ('helpful', 'not_helpful')),
  via text NOT NULL CHECK (via IN ('button', 'words')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Reports count a conversation's verdicts (containment, helpful rate) by conversation.
CREATE INDEX answer_feedback_conversation ON answer_feedback (conversation_id);
