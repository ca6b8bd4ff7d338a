import type { InboxRow } from "../models/inboxes.ts";
import type { InboxForAdmin } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

/**
 * An inbox for the admin console. Never includes the identity secret: it is shown
 * once, when created or rotated, by the command's own response.
 */
export function presentInbox(i: InboxRow & { updated_at?: Date; identity_secret_rotated_at?: Date | null }): Presented<InboxForAdmin> {
  const s = i.settings ?? {};
  return {
    id: i.id,
    slug: i.slug,
    name: i.name,
    channel: i.channel,
    defaultTeamId: i.default_team_id,
    settings: {
      greeting: s.greeting ?? "",
      timezone: s.timezone ?? "UTC",
      workingHours: s.workingHours ?? null,
      csatEnabled: s.csatEnabled ?? true,
      npsEnabled: s.npsEnabled ?? false,
      requireVerification: s.requireVerification ?? false,
      botEnabled: s.botEnabled ?? true,
      preChatFields: s.preChatFields ?? [],
      preChatForm: s.preChatForm ?? null,
      allowedOrigins: s.allowedOrigins ?? [],
      stepUp: s.stepUp ?? {},
      complaints: s.complaints ?? { jurisdiction: "cn" },
      vulnerableCustomersTeamId: s.vulnerableCustomersTeamId ?? null,
    },
    retention: { days: i.retention_days ?? null, action: i.retention_action ?? "delete" },
    identitySecretRotatedAt: i.identity_secret_rotated_at ?? null,
    createdAt: i.created_at,
    updatedAt: i.updated_at ?? i.created_at,
  };
}
