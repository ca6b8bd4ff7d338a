-- Reports: "top unanswered questions" reads the assistant's declined replies in a
-- date range. Declines are a small share of all messages; a partial index keeps the
-- query from scanning every message.
CREATE INDEX messages_declined ON messages (created_at)
  WHERE sender_type = 'bot' AND (content_attributes->>'declined') = 'true';
