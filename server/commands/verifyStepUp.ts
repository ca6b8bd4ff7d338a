import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { postMessage } from "./postMessage.ts";
import { asState, findChallenge, type ChallengeRow } from "../stepup/challenges.ts";
import { codeHasher, judgeCode, type Judgement } from "../stepup/oneTimeCode.ts";
import { presentStepUp, type PresentedStepUp } from "../presenters/presentStepUp.ts";

/** The job that carries on with the action that waited for the code (stepup/stepUpModule.ts). */
export const STEP_UP_RESUME_JOB = "stepup.resume";

export interface VerifyStepUpProps {
  /** The customer typing the code (widget socket). */
  contactId: string;
  conversationId: string;
  challengeId: string;
  code: string;
  now?: Date;
}

export interface VerifyStepUpResult {
  outcome: Judgement["outcome"];
  stepUp: PresentedStepUp;
}

const CHANNEL_NAMES = { sms: "SMS", email: "e-mail", demo_phone: "the demo phone" } as const;

/**
 * Checks a code the customer typed in the widget against its challenge, which must be
 * theirs and this conversation's (anything else is "not found", as for another
 * customer's conversation). Counts the attempt, locks after the last one, refuses an
 * expired code and a replayed one. Every outcome is audited. On success the agents
 * see a private note, and the action that waited on the code carries on (a job: the
 * assistant's reply comes like any other).
 */
export async function verifyStepUp(ctx: AppContext, props: VerifyStepUpProps): Promise<VerifyStepUpResult> {
  const now = props.now ?? new Date();
  const hash = codeHasher(ctx.config.SECRET_KEY);
  const { row, judgement } = await ctx.db.transaction(async (tx) => {
    const c = await findChallenge(tx, props.challengeId, { forUpdate: true });
    if (!c || c.contact_id !== props.contactId || c.conversation_id !== props.conversationId) {
      throw new AppError("not_found", "This verification request was not found");
    }
    const j = judgeCode(asState(c), props.code, now, hash);
    let updated: ChallengeRow = c;
    const set = async (sql: string, params: unknown[]) => {
      updated = (await tx.query<ChallengeRow>(`UPDATE step_up_challenges SET ${sql} WHERE id = $1 RETURNING *`, [c.id, ...params]))
        .rows[0]!;
    };
    if (j.outcome === "verified") await set("status = 'verified', attempts = $2, verified_at = $3", [j.attempts, now]);
    else if (j.outcome === "wrong") await set("attempts = $2", [j.attempts]);
    else if (j.outcome === "locked" && c.status !== "locked") await set("status = 'locked', attempts = $2", [j.attempts]);
    else if (j.outcome === "expired" && c.status === "pending") await set("status = 'expired'", []);
    // What changed is on record with it; a repeat of a closed outcome changes nothing and is noted as a failure.
    const action =
      j.outcome === "verified"
        ? "stepup.succeeded"
        : j.outcome === "expired" && c.status === "pending"
          ? "stepup.expired"
          : "stepup.failed";
    await writeAudit(tx, {
      actor: { type: "contact", id: props.contactId, verified: true },
      action,
      targetType: "contact",
      targetId: props.contactId,
      data: {
        conversationId: c.conversation_id,
        challengeId: c.id,
        purpose: c.purpose,
        channel: c.channel,
        outcome: j.outcome,
        attempts: j.attempts,
        ...(j.outcome === "closed" ? { status: j.status } : {}),
      },
    });
    return { row: updated, judgement: j };
  });

  if (judgement.outcome === "verified") {
    // Agents see it happen in the conversation (and the customer panel shows it: stepUpModule's route).
    await postMessage(ctx, {
      conversationId: row.conversation_id,
      messageType: "outgoing",
      senderType: "bot",
      private: true,
      clientId: `stepup:${row.id}:verified`,
      content: `Step-up verification passed: one-time code by ${CHANNEL_NAMES[row.channel]} to ${row.destination}, to ${row.action_label ?? row.purpose.replace(/_/g, " ")}.`,
      contentAttributes: { kind: "step_up_verified", stepUpId: row.id },
    });
    await ctx.queue.enqueue(
      STEP_UP_RESUME_JOB,
      { conversationId: row.conversation_id, challengeId: row.id },
      { jobId: `stepup:${row.id}` },
    );
  }
  return { outcome: judgement.outcome, stepUp: presentStepUp(row, now) };
}
