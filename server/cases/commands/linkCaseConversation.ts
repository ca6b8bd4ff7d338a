import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden, notFound } from "../../errors.ts";
import { findConversation } from "../../conversations/queries.ts";
import { authorizeManage } from "../../policies/conversationPolicy.ts";
import { authorizeCaseChange } from "../casePolicy.ts";
import { conversationHandlers, findCase } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";

/**
 * Links another conversation of the same customer to a case (they wrote again, or on
 * another channel). Its handlers join the agents who may not own the case.
 */
export async function linkCaseConversation(
  ctx: AppContext,
  props: { actor: Actor; id: string; conversationId: string; ip?: string },
): Promise<CaseRow> {
  if (props.actor.type !== "agent" && props.actor.type !== "system") throw forbidden();
  const after = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(props.actor, await findCase(tx, props.id, { forUpdate: true }));
    const conversation = await findConversation(tx, props.conversationId);
    if (props.actor.type === "agent") authorizeManage(props.actor, conversation);
    if (!conversation) throw notFound("Conversation");
    if (conversation.contact_id !== c.contact_id)
      throw new AppError("validation_error", "That conversation is another customer's", [
        { path: "conversationId", message: "Another customer" },
      ]);
    const linked = await tx.query("INSERT INTO case_conversations (case_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      c.id,
      conversation.id,
    ]);
    if (linked.rowCount === 0) return c;
    const handlers = await conversationHandlers(tx, conversation.id);
    const { rows } = await tx.query<CaseRow>(
      "UPDATE cases SET handler_ids = array(SELECT DISTINCT unnest(handler_ids || $2::uuid[])), updated_at = now() WHERE id = $1 RETURNING *",
      [c.id, handlers],
    );
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: "conversation_linked",
      data: { conversationId: conversation.id },
      ip: props.ip,
    });
    return rows[0]!;
  });
  ctx.bus.emit("case.updated", { case: after, kind: "conversation_linked" });
  return after;
}
