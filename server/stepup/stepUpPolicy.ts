import { z } from "zod";
import {
  RISK_LEVELS,
  STEP_UP_CHANNELS,
  STEP_UP_REQUIREMENTS,
  type StepUpChannel,
  type StepUpRequirement,
  type RiskLevel,
} from "../../shared/wire/index.ts";

/** How long a passed step-up counts for the rest of the conversation, unless the inbox says otherwise. */
export const DEFAULT_VALID_MINUTES = 10;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "an inbox's slug (lower-case letters, digits and dashes)");
const requirement = z.enum(STEP_UP_REQUIREMENTS);

/** An inbox's step-up settings as an admin sets them (InboxSettings.stepUp). */
export const stepUpSettingsSchema = z
  .object({
    low: requirement.optional(),
    medium: requirement.optional(),
    high: requirement.optional(),
    channel: z.enum(STEP_UP_CHANNELS).optional(),
    /** The SMS inbox whose provider account sends the codes (channel `sms`). */
    smsInbox: slug.optional(),
    /** Minutes a passed step-up lasts in the conversation, so the customer is not asked again for every message. */
    validMinutes: z.number().int().min(1, "At least 1 minute").max(60, "At most 60 minutes").optional(),
  })
  .strict()
  .superRefine((s, zctx) => {
    const need = (level: RiskLevel) => s[level] ?? "identity";
    // A level never needs less than the one below it: a code for balances but not for a freeze is a mistake.
    if (need("low") === "code" && need("medium") !== "code")
      zctx.addIssue({ code: "custom", path: ["medium"], message: "Medium risk needs at least what low risk needs" });
    if (need("medium") === "code" && need("high") !== "code")
      zctx.addIssue({ code: "custom", path: ["high"], message: "High risk needs at least what medium risk needs" });
    if (RISK_LEVELS.some((l) => need(l) === "code") && !s.channel)
      zctx.addIssue({ code: "custom", path: ["channel"], message: "Say where one-time codes are sent (sms or email)" });
    if (s.channel === "sms" && !s.smsInbox)
      zctx.addIssue({ code: "custom", path: ["smsInbox"], message: "Name the SMS inbox whose account sends the codes" });
  });

export type StepUpSettings = z.infer<typeof stepUpSettingsSchema>;

export interface StepUpPolicy {
  requires: Record<RiskLevel, StepUpRequirement>;
  channel: StepUpChannel | null;
  smsInbox: string | null;
  validMs: number;
}

/**
 * The policy an inbox's settings make. Without settings every level needs the page
 * identity only, as before step-up existed: an inbox that upgrades keeps working, and
 * its admin turns codes on once the bank's SMS or e-mail sending is set up.
 */
export function stepUpPolicy(settings: StepUpSettings | undefined): StepUpPolicy {
  return {
    requires: { low: settings?.low ?? "identity", medium: settings?.medium ?? "identity", high: settings?.high ?? "identity" },
    channel: settings?.channel ?? null,
    smsInbox: settings?.smsInbox ?? null,
    validMs: (settings?.validMinutes ?? DEFAULT_VALID_MINUTES) * 60_000,
  };
}

declare module "../models/inboxes.ts" {
  interface InboxSettings {
    /** What each risk level of the account tools needs: the page identity, or a one-time code too. */
    stepUp?: StepUpSettings;
  }
}
