import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
import { BOT } from "../actor.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { findInbox } from "../conversations/queries.ts";
import type { Language } from "../assistant/language.ts";
import { coreBankingFor } from "../banking/createCoreBanking.ts";
import { CoreBankingError } from "../banking/errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { ChallengeRow } from "../stepup/challenges.ts";
import { codeHasher, CODE_TTL_MS, maskDestination, MAX_CHALLENGES_PER_HOUR, newCode } from "../stepup/oneTimeCode.ts";
import { codeMessage } from "../stepup/codeMessage.ts";
import { otpSenderFor } from "../stepup/otpSenders.ts";
import { stepUpPolicy } from "../stepup/stepUpPolicy.ts";
import type { RiskLevel } from "../../shared/wire/index.ts";

export interface RequestStepUpProps {
  conversation: Pick<ConversationRow, "id" | "inbox_id" | "contact_id">;
  /** The verified customer's id at the bank (contacts.external_id). */
  customerId: string;
  /** The action waiting on the code (an account tool). */
  purpose: string;
  /** What the customer reads the action called, for a bank tool (its label); built-in purposes have their own. */
  action?: string;
  risk: RiskLevel;
  language: Language;
  /** The customer message that needed it: the same key again (a retried job) is the same challenge, not a second text. */
  requestKey: string;
  now?: Date;
}

export type StepUpRefusal =
  /** The inbox names no way to send codes. */
  | "no_channel"
  /** The bank has no phone (or e-mail address) on file for the customer. */
  | "no_destination"
  /** The core system could not be asked for the customer's contact details. */
  | "core_unavailable"
  /** The SMS or e-mail did not go out. */
  | "not_sent"
  /** Too many codes for this conversation in the last hour. */
  | "too_many";

export type RequestStepUpResult = { challenge: ChallengeRow } | { refused: StepUpRefusal };

/**
 * Opens a step-up challenge for an action and sends its one-time code to the phone or
 * e-mail address the bank has on file for the customer (never one the visitor typed),
 * by the inbox's channel. The code exists only in the message sent: the row keeps its
 * keyed hash. An older pending challenge of the conversation is superseded (only the
 * newest code works). Audited: requested, then sent or undelivered.
 */
export async function requestStepUp(ctx: AppContext, props: RequestStepUpProps): Promise<RequestStepUpResult> {
  const now = props.now ?? new Date();
  const audit = (action: string, data: Record<string, unknown>) =>
    writeAudit(ctx.db, {
      actor: BOT,
      action,
      targetType: "contact",
      targetId: props.conversation.contact_id,
      data: { conversationId: props.conversation.id, purpose: props.purpose, risk: props.risk, ...data },
    });

  const existing = (await ctx.db.query<ChallengeRow>("SELECT * FROM step_up_challenges WHERE request_key = $1", [props.requestKey]))
    .rows[0];
  if (existing) return existing.status === "undelivered" ? { refused: "not_sent" } : { challenge: existing };

  const refuse = async (reason: StepUpRefusal): Promise<RequestStepUpResult> => {
    await audit("stepup.refused", { reason });
    return { refused: reason };
  };
  const inbox = await findInbox(ctx.db, props.conversation.inbox_id);
  const policy = stepUpPolicy(inbox?.settings.stepUp);
  const sender = otpSenderFor(ctx, policy);
  if (!sender) return refuse("no_channel");
  const { rows: recent } = await ctx.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM step_up_challenges WHERE conversation_id = $1 AND created_at > $2",
    [props.conversation.id, new Date(now.getTime() - 3_600_000)],
  );
  if (recent[0]!.n >= MAX_CHALLENGES_PER_HOUR) return refuse("too_many");

  let to: string | null;
  try {
    const details = await coreBankingFor(ctx).contactDetails(props.customerId);
    to = sender.via === "phone" ? details.phone : details.email;
  } catch (err) {
    if (!(err instanceof CoreBankingError)) throw err;
    return refuse(err.unavailable ? "core_unavailable" : "no_destination");
  }
  if (!to) return refuse("no_destination");

  const id = crypto.randomUUID();
  const code = newCode();
  const destination = maskDestination(sender.via, to);
  const challenge = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<ChallengeRow>(
      `INSERT INTO step_up_challenges
         (id, conversation_id, contact_id, customer_id, purpose, risk, language, channel, destination, code_hash, sent_at, expires_at, request_key, action_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (request_key) DO NOTHING RETURNING *`,
      [
        id,
        props.conversation.id,
        props.conversation.contact_id,
        props.customerId,
        props.purpose,
        props.risk,
        props.language,
        sender.channel,
        destination,
        codeHasher(ctx.config.SECRET_KEY)(id, code),
        now,
        new Date(now.getTime() + CODE_TTL_MS),
        props.requestKey,
        props.action ?? null,
      ],
    );
    // Only the newest code of a conversation works. After the insert, so that a run that
    // lost the race for this request key supersedes nothing (the winner's code stands).
    if (rows[0]) {
      await tx.query("UPDATE step_up_challenges SET status = 'superseded' WHERE conversation_id = $1 AND status = 'pending' AND id <> $2", [
        props.conversation.id,
        id,
      ]);
    }
    return rows[0];
  });
  // Another run of the same job got there first: its challenge, its text.
  if (!challenge) return requestStepUp(ctx, props);
  await audit("stepup.requested", { challengeId: id, channel: sender.channel, destination });

  const message = codeMessage(code, props.purpose, props.language, CODE_TTL_MS / 60_000, props.action);
  try {
    await sender.send({ to, customerId: props.customerId, ...message });
  } catch (err) {
    await ctx.db.query("UPDATE step_up_challenges SET status = 'undelivered' WHERE id = $1", [id]);
    const reason = (err as Error).message;
    ctx.logger.warn({ challengeId: id, channel: sender.channel, reason }, "step-up code not sent");
    await audit("stepup.undelivered", { challengeId: id, channel: sender.channel, destination, reason });
    return { refused: "not_sent" };
  }
  await audit("stepup.sent", { challengeId: id, channel: sender.channel, destination });
  return { challenge };
}
