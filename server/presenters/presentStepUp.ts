import type { ChallengeRow } from "../stepup/challenges.ts";
import { MAX_ATTEMPTS, MAX_SENDS, RESEND_AFTER_MS } from "../stepup/oneTimeCode.ts";
import type { StepUp } from "../../shared/wire/index.ts";

/**
 * A step-up challenge as the customer's widget and the console see it: where the
 * code went (masked), what is left of it. Never the code's hash or the full destination.
 */
export function presentStepUp(r: ChallengeRow, now = new Date()): StepUp {
  const expired = r.status === "expired" || (r.status === "pending" && r.expires_at.getTime() <= now.getTime());
  return {
    id: r.id,
    purpose: r.purpose,
    ...(r.action_label ? { action: r.action_label } : {}),
    risk: r.risk,
    channel: r.channel,
    destination: r.destination,
    status: expired ? ("expired" as const) : r.status,
    attemptsLeft: Math.max(0, MAX_ATTEMPTS - r.attempts),
    sendsLeft: Math.max(0, MAX_SENDS - r.sends),
    expiresAt: r.expires_at.toISOString(),
    resendAt: new Date(r.sent_at.getTime() + RESEND_AFTER_MS).toISOString(),
    verifiedAt: r.verified_at?.toISOString() ?? null,
  };
}

export type PresentedStepUp = ReturnType<typeof presentStepUp>;
