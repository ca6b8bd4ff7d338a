/** Shapes of the admin API's JSON (server/presenters); those in shared/wire are the server's checked contract. */
import type { AgentForAdmin, CannedResponse, Label, Role, TeamForAdmin } from "../../../../shared/wire/index.ts";

export type AdminAgent = AgentForAdmin;
export type AdminTeam = TeamForAdmin;
export type AdminCannedResponse = CannedResponse;
export type AdminLabel = Label;

export type Weekday = "0" | "1" | "2" | "3" | "4" | "5" | "6";
export type WorkingHours = Partial<Record<Weekday, { open: string; close: string }>>;
export type Channel = "web" | "email" | "sms" | "whatsapp" | "wechat" | "api";

export type PreChatFieldName = "name" | "email" | "phone";
export interface PreChatForm {
  enabled: boolean;
  fields: Array<{ name: PreChatFieldName; required: boolean }>;
}

export type StepUpRequirement = "identity" | "code";

/** What each risk level of the account tools needs, and where one-time codes go (server/stepup/stepUpPolicy.ts). */
export interface StepUpSettings {
  low?: StepUpRequirement;
  medium?: StepUpRequirement;
  high?: StepUpRequirement;
  channel?: "sms" | "email" | "demo_phone";
  smsInbox?: string;
  validMinutes?: number;
}

/** A complaint clock's limit (server/cases/jurisdictions.ts): N business or calendar days from receipt. */
export interface ComplaintLimit {
  days: number;
  unit: "business" | "calendar";
}

export type ComplaintCalendar = "cn" | "uk" | "us";

/** An inbox's complaint rules: a regulator's preset, or a custom policy (counted in the inbox's time zone). */
export interface ComplaintsSetting {
  jurisdiction: "cn" | "uk" | "us" | "custom";
  custom?: {
    calendar: ComplaintCalendar;
    acknowledge: ComplaintLimit | null;
    finalResponse: ComplaintLimit;
    /** Each extension's new total limit from receipt, in order. */
    extensions: ComplaintLimit[];
    rule: string;
  };
  /** E-mail inboxes: mail sent to this address opens a complaint case. */
  address?: string;
}

export interface AdminInbox {
  id: string;
  slug: string;
  name: string;
  channel: Channel;
  defaultTeamId: string | null;
  settings: {
    greeting: string;
    timezone: string;
    workingHours: WorkingHours | null;
    csatEnabled: boolean;
    npsEnabled?: boolean;
    requireVerification: boolean;
    botEnabled: boolean;
    preChatFields: Array<"name" | "email">;
    preChatForm: PreChatForm | null;
    allowedOrigins: string[];
    stepUp: StepUpSettings;
    /** Complaint cases' jurisdiction (mainland China when never set). */
    complaints: ComplaintsSetting;
    /** Where conversations of customers recorded as vulnerable go (null: the default team). */
    vulnerableCustomersTeamId: string | null;
  };
  /** Days after a conversation is resolved before it is deleted or anonymised (null: kept). */
  retention: { days: number | null; action: "delete" | "anonymise" };
  identitySecretRotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: string;
  actor: { type: "agent" | "contact" | "bot" | "system"; id: string | null; name: string | null; email: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  data: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

export const CHANNELS: Array<[Channel, string]> = [
  ["web", "Website widget"],
  ["email", "E-mail"],
  ["sms", "SMS"],
  ["whatsapp", "WhatsApp"],
  ["wechat", "WeChat"],
  ["api", "API"],
];

export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", agent: "Agent", content: "Content editor" };
