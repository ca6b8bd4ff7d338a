/** Shapes of the admin API's JSON (server/presenters). */
import type { Role } from "../../types.ts";

export interface AdminAgent {
  id: string;
  email: string;
  name: string;
  displayName: string | null;
  customerName: string | null;
  role: Role;
  availability: "online" | "away" | "offline";
  capacity: number;
  teamIds: string[];
  disabled: boolean;
  lockedUntil: string | null;
  twoFactorEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AdminTeam {
  id: string;
  name: string;
  slug: string;
  memberIds: string[];
  conversations: number;
  createdAt: string;
}

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
    requireVerification: boolean;
    botEnabled: boolean;
    preChatFields: Array<"name" | "email">;
    preChatForm: PreChatForm | null;
    allowedOrigins: string[];
    stepUp: StepUpSettings;
  };
  identitySecretRotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AdminCannedResponse {
  id: string;
  shortCode: string;
  content: string;
  createdAt: string;
  updatedAt: string;
}

export interface AdminLabel {
  id: string;
  name: string;
  colour: string;
  description: string;
  conversations?: number;
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
