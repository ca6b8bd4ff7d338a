import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { postMessage } from "../commands/postMessage.ts";
import { handOff } from "../commands/handOff.ts";
import { SIGNED_IN_CONVERSATION_SQL } from "../contacts/signedInConversation.ts";
import { assistantFor } from "./assistantModule.ts";
import { say } from "./replies.ts";
import type { BotState } from "./types.ts";

/**
 * The job after a verified step-up code: the account tool that waited for it runs
 * now and the assistant replies in the conversation, as if the customer had just
 * asked (a change is proposed and waits for their yes, as always). Idempotent: the
 * reply's client id is the challenge's, and a second run finds nothing waiting.
 * Nothing happens once a person has taken the conversation: they see the private note.
 */
export async function resumeAfterStepUp(ctx: AppContext, data: { conversationId: string; challengeId: string }): Promise<void> {
  const { rows } = await ctx.db.query<ConversationRow & { contact_verified: boolean; contact_external_id: string | null }>(
    `SELECT c.*, ${SIGNED_IN_CONVERSATION_SQL} AS contact_verified, ct.external_id AS contact_external_id
     FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN inboxes i ON i.id = c.inbox_id WHERE c.id = $1`,
    [data.conversationId],
  );
  const c = rows[0];
  if (!c || c.status !== "pending" || !c.contact_verified || !c.contact_external_id) return;
  // The challenge must still be this customer's: one who signed in as someone else since gets nothing of theirs.
  const { rows: ch } = await ctx.db.query<{ customer_id: string }>(
    "SELECT customer_id FROM step_up_challenges WHERE id = $1 AND status = 'verified'",
    [data.challengeId],
  );
  if (ch[0]?.customer_id !== c.contact_external_id) return;
  const { assistant } = await assistantFor(ctx);
  const r = await assistant.resumeAfterStepUp({
    verifiedCustomerId: c.contact_external_id,
    botState: (c.bot_state ?? {}) as BotState,
    challengeId: data.challengeId,
    conversationId: c.id,
  });
  if (!r) return;
  await ctx.db.query("UPDATE conversations SET bot_state = $2 WHERE id = $1", [c.id, JSON.stringify(r.botState)]);
  const clientId = `bot:stepup:${data.challengeId}`;
  if ("unavailable" in r) {
    // As for any tool: the core (or the bank's own tool) cannot answer now, so the customer
    // hears so, and what to do meanwhile, and a person takes over.
    const reason = r.failedTool ? "tool_failed" : "core_banking_unavailable";
    await handOff(ctx, {
      conversationId: c.id,
      reason,
      summary: r.failedTool
        ? "Handed off: one of the bank's own tools failed after the customer passed step-up verification (see the audit log's custom_tool.called)."
        : "Handed off: the core banking system did not answer after the customer passed step-up verification.",
    });
    const lead = r.failedTool ? say("customToolFailed", r.language, { action: r.failedTool }) : say("coreBusy", r.language);
    await postMessage(ctx, {
      conversationId: c.id,
      messageType: "outgoing",
      senderType: "bot",
      content: `${lead}\n\n${say("handoffOnline", r.language)}`,
      clientId,
      contentAttributes: { kind: "handoff", reason, trace: r.trace },
    });
    return;
  }
  await postMessage(ctx, {
    conversationId: c.id,
    messageType: "outgoing",
    senderType: "bot",
    content: r.reply,
    clientId,
    // The trace's tool step marks the reply as the customer's account data: it stays out of what models are sent.
    contentAttributes: { quickReplies: r.quickReplies, trace: r.trace, stepUpId: data.challengeId },
  });
}
