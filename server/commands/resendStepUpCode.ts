import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { coreBankingFor } from "../banking/createCoreBanking.ts";
import { CoreBankingError } from "../banking/errors.ts";
import { findConversation, findInbox } from "../conversations/queries.ts";
import { findChallenge, type ChallengeRow } from "../stepup/challenges.ts";
import { canResend, codeHasher, CODE_TTL_MS, newCode } from "../stepup/oneTimeCode.ts";
import { codeMessage } from "../stepup/codeMessage.ts";
import { otpSenderFor } from "../stepup/otpSenders.ts";
import { stepUpPolicy } from "../stepup/stepUpPolicy.ts";
import { presentStepUp, type PresentedStepUp } from "../presenters/presentStepUp.ts";

export interface ResendStepUpCodeProps {
  contactId: string;
  conversationId: string;
  challengeId: string;
  now?: Date;
}

/**
 * A new code for the customer's challenge (the text did not come, or the code
 * expired), to the same channel and the number or address the bank has on file now.
 * The old code stops working; wrong attempts so far still count, so resending is no
 * way round the lock. At most MAX_SENDS texts per challenge, RESEND_AFTER_MS apart.
 */
export async function resendStepUpCode(ctx: AppContext, props: ResendStepUpCodeProps): Promise<{ stepUp: PresentedStepUp }> {
  const now = props.now ?? new Date();
  const c = await findChallenge(ctx.db, props.challengeId);
  if (!c || c.contact_id !== props.contactId || c.conversation_id !== props.conversationId) {
    throw new AppError("not_found", "This verification request was not found");
  }
  const allowed = canResend({ status: c.status, sends: c.sends, sentAt: c.sent_at }, now);
  if (!allowed.ok) {
    if (allowed.reason === "too_soon")
      throw new AppError("rate_limited", "Please wait a moment before asking for another code", {
        retryAt: allowed.retryAt!.toISOString(),
      });
    throw new AppError("conflict", allowed.reason === "too_many" ? "No more codes can be sent for this request" : "This request is closed");
  }
  const conversation = await findConversation(ctx.db, c.conversation_id);
  const inbox = conversation && (await findInbox(ctx.db, conversation.inbox_id));
  const sender = otpSenderFor(ctx, { ...stepUpPolicy(inbox?.settings.stepUp), channel: c.channel });
  if (!sender) throw new AppError("unavailable", "Codes cannot be sent at the moment");
  let to: string | null;
  try {
    const details = await coreBankingFor(ctx).contactDetails(c.customer_id);
    to = sender.via === "phone" ? details.phone : details.email;
  } catch (err) {
    if (!(err instanceof CoreBankingError)) throw err;
    throw new AppError(err.unavailable ? "unavailable" : "not_found", "Your contact details could not be read at the moment");
  }
  if (!to) throw new AppError("not_found", "There is no contact detail on file to send a code to");

  const code = newCode();
  const audit = (action: string, data: Record<string, unknown> = {}) =>
    writeAudit(ctx.db, {
      actor: { type: "contact", id: props.contactId, verified: true },
      action,
      targetType: "contact",
      targetId: props.contactId,
      data: { conversationId: c.conversation_id, challengeId: c.id, purpose: c.purpose, channel: c.channel, ...data },
    });
  // Guarded by the send count and status read above: two resends at once send one code.
  const { rows } = await ctx.db.query<ChallengeRow>(
    `UPDATE step_up_challenges
     SET code_hash = $2, sends = sends + 1, sent_at = $3, expires_at = $4, status = 'pending'
     WHERE id = $1 AND sends = $5 AND status IN ('pending', 'expired') RETURNING *`,
    [c.id, codeHasher(ctx.config.SECRET_KEY)(c.id, code), now, new Date(now.getTime() + CODE_TTL_MS), c.sends],
  );
  const updated = rows[0];
  if (!updated) throw new AppError("conflict", "Another code was just sent: please use that one");
  try {
    await sender.send({
      to,
      customerId: c.customer_id,
      ...codeMessage(code, c.purpose, c.language, CODE_TTL_MS / 60_000, c.action_label ?? undefined),
    });
  } catch (err) {
    // The old code was replaced: without the new one the challenge is unusable.
    await ctx.db.query("UPDATE step_up_challenges SET status = 'undelivered' WHERE id = $1", [c.id]);
    await audit("stepup.undelivered", { reason: (err as Error).message });
    throw new AppError("unavailable", "The code could not be sent. Please try again later or ask for a person");
  }
  await audit("stepup.resent", { sends: updated.sends, destination: updated.destination });
  return { stepUp: presentStepUp(updated, now) };
}
