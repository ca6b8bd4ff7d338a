import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { AutomationAction } from "../../shared/wire/index.ts";
import { assignConversation } from "../assignment/commands/assignConversation.ts";
import { updateConversation } from "../commands/updateConversation.ts";
import { changeConversationStatus } from "../commands/changeConversationStatus.ts";
import { postMessage } from "../commands/postMessage.ts";
import { findConversation } from "../conversations/queries.ts";
import { AppError } from "../errors.ts";
import type { AutomationRuleRow } from "./types.ts";

/** How an action is written in a run and in the conversation's activity note. */
export async function describeAction(ctx: AppContext, a: AutomationAction): Promise<string> {
  const name = async (table: "teams" | "agents", id: string) =>
    (await ctx.db.query<{ name: string }>(`SELECT name FROM ${table} WHERE id = $1`, [id])).rows[0]?.name ?? "(deleted)";
  switch (a.type) {
    case "assign_team":
      return `assigned team ${await name("teams", a.teamId)}`;
    case "assign_agent":
      return `assigned ${await name("agents", a.agentId)}`;
    case "set_priority":
      return `set priority ${a.priority}`;
    case "add_label":
      return `added label ${a.label}`;
    case "add_private_note":
      return "added a private note";
    case "change_status":
      return a.status === "snoozed" ? `snoozed for ${a.snoozeMinutes} min` : `set status ${a.status}`;
    case "send_webhook_event":
      return "sent a webhook event";
    case "send_canned_reply":
      return "sent a canned reply";
  }
}

/**
 * Performs one action with the commands agents use (as the system: audited and
 * announced like any other change), on the conversation as it is now. The caller
 * runs it inside the rule's chain (automation/ruleChain.ts). `key` makes messages
 * idempotent (a retried run posts a note or reply once).
 */
export async function performAction(
  ctx: AppContext,
  rule: Pick<AutomationRuleRow, "id" | "name" | "event">,
  conversationId: string,
  a: AutomationAction,
  key: string,
): Promise<void> {
  const conversation = async (): Promise<ConversationRow> => {
    const c = await findConversation(ctx.db, conversationId);
    if (!c) throw new AppError("not_found", "The conversation is gone");
    return c;
  };
  switch (a.type) {
    case "assign_team":
      await assignConversation(ctx, { actor: SYSTEM, conversationId, teamId: a.teamId });
      return;
    case "assign_agent":
      await assignConversation(ctx, { actor: SYSTEM, conversationId, assigneeId: a.agentId });
      return;
    case "set_priority":
      if ((await conversation()).priority !== a.priority)
        await updateConversation(ctx, { actor: SYSTEM, conversationId, priority: a.priority });
      return;
    case "add_label": {
      const c = await conversation();
      if (!c.labels.includes(a.label)) await updateConversation(ctx, { actor: SYSTEM, conversationId, labels: [...c.labels, a.label] });
      return;
    }
    case "add_private_note":
      await postMessage(ctx, {
        conversationId,
        messageType: "outgoing",
        senderType: "system",
        private: true,
        content: a.content,
        clientId: key,
        contentAttributes: { kind: "automation_note", ruleId: rule.id },
      });
      return;
    case "change_status":
      await changeConversationStatus(ctx, {
        actor: SYSTEM,
        conversationId,
        status: a.status,
        snoozedUntil: a.snoozeMinutes ? new Date(Date.now() + a.snoozeMinutes * 60_000) : undefined,
      });
      return;
    case "send_webhook_event":
      ctx.bus.emit("conversation.automation_fired", {
        conversation: await conversation(),
        rule: { id: rule.id, name: rule.name },
        event: rule.event,
      });
      return;
    case "send_canned_reply": {
      const { rows } = await ctx.db.query<{ content: string }>("SELECT content FROM canned_responses WHERE id = $1", [a.cannedResponseId]);
      if (!rows[0]) throw new AppError("not_found", "The canned response is gone");
      // Sent as the bot: the customer hears the bank's standard words, not an agent's.
      await postMessage(ctx, { conversationId, messageType: "outgoing", senderType: "bot", content: rows[0].content, clientId: key });
      return;
    }
  }
}
