/** Shapes of the admin API's JSON: the wire contract (shared/wire) that the server's presenters are checked against, and the admin views' labels for them. */
import type { InboxChannel, Role } from "../../../../shared/wire/index.ts";

export type {
  AgentForAdmin as AdminAgent,
  AgentPasswordSet,
  AuditEntry,
  AuditLogPage,
  CannedResponse as AdminCannedResponse,
  ComplaintCalendar,
  ComplaintLimit,
  ComplaintsSetting,
  InboxChannel as Channel,
  InboxForAdmin as AdminInbox,
  Label as AdminLabel,
  PreChatFieldName,
  PreChatForm,
  StepUpRequirement,
  StepUpSettings,
  TeamForAdmin as AdminTeam,
  Weekday,
  WorkingHours,
} from "../../../../shared/wire/index.ts";

export const CHANNELS: Array<[InboxChannel, string]> = [
  ["web", "Website widget"],
  ["email", "E-mail"],
  ["sms", "SMS"],
  ["whatsapp", "WhatsApp"],
  ["wechat", "WeChat"],
  ["api", "API"],
];

export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", agent: "Agent", content: "Content editor" };
