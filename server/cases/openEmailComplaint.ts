import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import { handOff } from "../commands/handOff.ts";
import { updateConversation } from "../commands/updateConversation.ts";
import { redactText } from "../privacy/redact.ts";
import { openCase } from "./commands/openCase.ts";
import type { ComplaintsSetting } from "./jurisdictions.ts";
import type { CaseRow } from "./types.ts";

/** Whether an inbound e-mail was sent to the inbox's complaints address (`settings.complaints.address`), among its recipients. */
export function sentToComplaintsAddress(setting: ComplaintsSetting | undefined, recipients: string[]): boolean {
  const address = setting?.address?.toLowerCase();
  return Boolean(address) && recipients.some((r) => r.toLowerCase() === address);
}

/**
 * An e-mail to the complaints address is a complaint: it opens a case (source
 * `email`) linked to the e-mail's conversation, with the open-case command (so the
 * inbox's jurisdiction clocks start and the acknowledgement follows the normal case
 * flow), with the conversation with people at high priority: the assistant does not
 * answer a formal complaint with an FAQ. Idempotent: the mail
 * relay posting the message again, or the customer writing again in the thread,
 * finds the conversation's running case (openCase) and changes nothing.
 */
export async function openEmailComplaint(
  ctx: AppContext,
  props: { conversationId: string; subject: string | null; text: string },
): Promise<{ case: CaseRow; created: boolean }> {
  const said = [props.subject?.trim(), props.text.trim()].filter(Boolean).join("\n\n");
  // The summary is shown in lists and on webhooks: card and ID numbers do not belong there (the message keeps them).
  const summary = redactText(said || "(empty e-mail)").text.slice(0, 2000);
  const opened = await openCase(ctx, { actor: SYSTEM, conversationId: props.conversationId, summary, source: "email" });
  // A new conversation from the complaints address starts with people already (the e-mail
  // channel opens it so); one the bot held (a reply in its thread) is handed off here.
  const { conversation } = await handOff(ctx, {
    conversationId: props.conversationId,
    reason: "complaint",
    summary: `Complaint case ${opened.case.reference} opened from an e-mail to the complaints address. Acknowledge it from the case page.`,
    teamId: opened.case.team_id,
    priority: "high",
  });
  if (conversation.priority !== "high" && conversation.priority !== "urgent")
    await updateConversation(ctx, { actor: SYSTEM, conversationId: props.conversationId, priority: "high" });
  return opened;
}
