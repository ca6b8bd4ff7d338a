import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { postMessage } from "../../commands/postMessage.ts";
import { customerFacingName } from "../../agents/customerFacingName.ts";
import { authorizeCaseChange } from "../casePolicy.ts";
import { findCase } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import { finalResponseDate, localDate } from "../jurisdictions.ts";
import { caseText, escalationText, formatDate, formatMoney, renderLetter, type LetterKind } from "../caseText.ts";
import type { CaseRow } from "../types.ts";

/**
 * Sends the acknowledgement or the final-response letter, from its template in the
 * customer's language, through the customer's channel: as the owner's message in the
 * case's latest conversation (the channel adapters deliver it by e-mail, SMS, WeChat…).
 * The acknowledgement stops the first clock; the final response stops the deadline
 * and moves the case to `final_response`. The letter's text is on the timeline.
 */
export async function sendCaseLetter(
  ctx: AppContext,
  props: { actor: Actor; id: string; kind: LetterKind; decision?: string; ip?: string },
): Promise<{ case: CaseRow; letter: string; messageId: string }> {
  if (props.actor.type !== "agent") throw forbidden();
  const actor = props.actor;
  const c0 = authorizeCaseChange(actor, await findCase(ctx.db, props.id));
  if (props.kind === "final_response") {
    if (!props.decision?.trim())
      throw new AppError("validation_error", "Write what you found and decided", [
        { path: "decision", message: "Required for a final response" },
      ]);
    if (!["received", "acknowledged", "investigating", "reopened", "escalated"].includes(c0.status))
      throw new AppError("conflict", `A case that is ${c0.status.replace("_", " ")} cannot be sent a final response`);
  } else if (c0.status !== "received" && c0.acknowledged_at) {
    throw new AppError("conflict", "This complaint has been acknowledged already");
  }
  const { rows: linked } = await ctx.db.query<{ conversation_id: string }>(
    "SELECT conversation_id FROM case_conversations WHERE case_id = $1 ORDER BY linked_at DESC LIMIT 1",
    [c0.id],
  );
  if (!linked[0]) throw new AppError("conflict", "The case has no conversation to send the letter through");
  const { rows: people } = await ctx.db.query<{ contact_name: string | null; owner_name: string | null; owner_display: string | null }>(
    `SELECT ct.name AS contact_name, a.name AS owner_name, a.display_name AS owner_display
     FROM contacts ct LEFT JOIN agents a ON a.id = $2 WHERE ct.id = $1`,
    [c0.contact_id, c0.owner_id ?? actor.id],
  );
  const lang = c0.language;
  const p = people[0];
  const remedy = c0.remedy;
  const remedyLines = [
    remedy.refundAmount ? caseText("refund", lang, { amount: formatMoney(remedy.refundAmount, remedy.currency ?? "CNY", lang) }) : "",
    remedy.apology ? caseText("apology", lang) : "",
    remedy.processChange ? caseText("processChange", lang, { change: remedy.processChange }) : "",
  ].filter(Boolean);
  const letter = renderLetter(props.kind, lang, {
    customerName: p?.contact_name?.trim() || caseText("customer", lang),
    reference: c0.reference,
    receivedDate: formatDate(localDate(c0.received_at, c0.policy.timezone), lang),
    dueDate: formatDate(finalResponseDate(c0), lang),
    summary: c0.summary,
    ownerName: (p?.owner_name && customerFacingName({ name: p.owner_name, display_name: p.owner_display })) || caseText("team", lang),
    decision: props.decision?.trim() ?? "",
    remedy: remedyLines.join("\n\n"),
    escalation: escalationText(c0.jurisdiction, lang),
  });
  // The letter is the agent's message (idempotent by client id: a retried request sends it once).
  const sent = await postMessage(ctx, {
    conversationId: linked[0].conversation_id,
    messageType: "outgoing",
    senderType: "agent",
    senderId: actor.id,
    content: letter,
    clientId: `case-letter:${c0.id}:${props.kind}:${c0.extensions}:${c0.final_response_at ? "again" : "first"}`,
    contentAttributes: { caseLetter: { caseId: c0.id, reference: c0.reference, kind: props.kind } },
  });
  const after = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(actor, await findCase(tx, c0.id, { forUpdate: true }));
    const { rows } = await tx.query<CaseRow>(
      props.kind === "final_response"
        ? `UPDATE cases SET status = 'final_response', final_response_at = COALESCE(final_response_at, now()),
             acknowledged_at = COALESCE(acknowledged_at, now()), updated_at = now() WHERE id = $1 RETURNING *`
        : `UPDATE cases SET status = CASE WHEN status = 'received' THEN 'acknowledged' ELSE status END,
             acknowledged_at = COALESCE(acknowledged_at, now()), updated_at = now() WHERE id = $1 RETURNING *`,
      [c.id],
    );
    await recordCaseEvent(tx, {
      actor,
      caseRow: c,
      kind: "letter_sent",
      data: { letter: props.kind, language: lang, conversationId: linked[0]!.conversation_id, messageId: sent.message.id, text: letter },
      ip: props.ip,
    });
    return { before: c, after: rows[0]! };
  });
  if (after.before.status !== after.after.status)
    ctx.bus.emit("case.status_changed", { case: after.after, from: after.before.status, to: after.after.status });
  else ctx.bus.emit("case.updated", { case: after.after, kind: "letter_sent" });
  return { case: after.after, letter, messageId: sent.message.id };
}
