import type { Queryable } from "../../db/Database.ts";
import type { SentimentLabel } from "./analyzer.ts";
import { emotionalProfile, type EmotionalProfile } from "./emotionalProfile.ts";

/**
 * The emotional profile over the given conversations (the caller passes those the
 * agent may read), from the assistant's reading of each customer message, which it
 * keeps in the message's attributes (content_attributes.sentiment). Messages the
 * assistant never read — after a handoff, an agent's conversation — have none and
 * are left out rather than counted as calm.
 */
export async function loadEmotionalProfile(db: Queryable, conversationIds: string[]): Promise<EmotionalProfile> {
  if (!conversationIds.length) return emotionalProfile([]);
  const { rows } = await db.query<{ conversation_id: string; created_at: Date | string; score: number; label: SentimentLabel }>(
    `SELECT conversation_id, created_at,
            (content_attributes->'sentiment'->>'score')::float AS score,
            content_attributes->'sentiment'->>'label' AS label
       FROM messages
      WHERE conversation_id = ANY($1::uuid[]) AND sender_type = 'contact'
        AND content_attributes->'sentiment'->>'score' IS NOT NULL
      ORDER BY created_at, seq`,
    [conversationIds],
  );
  return emotionalProfile(rows.map((r) => ({ conversationId: r.conversation_id, at: r.created_at, score: r.score, label: r.label })));
}
