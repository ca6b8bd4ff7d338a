import type { AppContext } from "../context.ts";
import { findConversation } from "../conversations/queries.ts";
import { AppError, notFound } from "../errors.ts";

/** Stores the customer's rating (1–5) of a resolved conversation; rating again replaces it. */
export async function recordCsat(
  ctx: AppContext,
  props: { conversationId: string; rating: number; comment: string | null },
): Promise<void> {
  const conversation = await findConversation(ctx.db, props.conversationId);
  if (!conversation) throw notFound("Conversation");
  if (conversation.status !== "resolved") throw new AppError("conflict", "A conversation can be rated once it is resolved");
  await ctx.db.query(
    `INSERT INTO csat_responses (conversation_id, rating, comment) VALUES ($1, $2, $3)
     ON CONFLICT (conversation_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, created_at = now()`,
    [conversation.id, props.rating, props.comment],
  );
  ctx.bus.emit("csat.created", { conversation, rating: props.rating, comment: props.comment });
}
