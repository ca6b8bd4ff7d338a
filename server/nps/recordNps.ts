import type { AppContext } from "../context.ts";
import { findConversation } from "../conversations/queries.ts";
import { AppError, notFound } from "../errors.ts";
import type { NpsResponseRow } from "./types.ts";

export interface RecordNpsProps {
  conversationId: string;
  score: number;
  comment: string | null;
  /**
   * `widget`: the customer answers in the chat window of a resolved conversation (a
   * second answer replaces the first, as CSAT does); `reply`: a message on a channel,
   * which counts only while the survey is pending (later numbers are ordinary messages);
   * `app`: the bank's app answers the survey it was sent on the API channel with its own
   * picker (a second answer replaces the first, as in the widget).
   */
  via: "widget" | "reply" | "app";
}

/**
 * Stores the customer's Net Promoter answer (0–10, optional "why?") for a resolved
 * conversation, and announces it (`nps.created`: the console, outgoing webhooks).
 * Idempotent: the same answer again changes nothing and announces nothing. Returns the
 * row, or undefined when a reply found no pending survey.
 */
export async function recordNps(ctx: AppContext, props: RecordNpsProps): Promise<NpsResponseRow | undefined> {
  if (!Number.isInteger(props.score) || props.score < 0 || props.score > 10) {
    throw new AppError("validation_error", "The score is a whole number from 0 to 10");
  }
  const comment = props.comment?.trim().slice(0, 1000) || null;
  const conversation = await findConversation(ctx.db, props.conversationId);
  if (!conversation) throw notFound("Conversation");
  if (conversation.status !== "resolved") throw new AppError("conflict", "A conversation can be rated once it is resolved");
  const { rows } =
    props.via === "reply"
      ? await ctx.db.query<NpsResponseRow>(
          `UPDATE nps_responses SET score = $2, comment = $3, answered_at = now()
           WHERE conversation_id = $1 AND score IS NULL RETURNING *`,
          [conversation.id, props.score, comment],
        )
      : await ctx.db.query<NpsResponseRow>(
          // The survey row exists when it was asked on resolution; an inbox that turned NPS on later still takes the answer.
          `INSERT INTO nps_responses (conversation_id, contact_id, inbox_id, score, comment, answered_at)
           VALUES ($1, $2, $3, $4, $5, now())
           ON CONFLICT (conversation_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, answered_at = now()
             WHERE nps_responses.score IS DISTINCT FROM EXCLUDED.score OR nps_responses.comment IS DISTINCT FROM EXCLUDED.comment
           RETURNING *`,
          [conversation.id, conversation.contact_id, conversation.inbox_id, props.score, comment],
        );
  const row = rows[0];
  if (!row) {
    if (props.via === "reply") return undefined;
    // The same answer again: nothing changed.
    return (await ctx.db.query<NpsResponseRow>("SELECT * FROM nps_responses WHERE conversation_id = $1", [conversation.id])).rows[0];
  }
  ctx.bus.emit("nps.created", { conversation, score: props.score, comment });
  return row;
}
