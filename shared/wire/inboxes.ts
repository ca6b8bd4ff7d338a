import type { StepUpSettings } from "./stepUp.ts";
import type { PreChatField, PreChatFieldName } from "./widgetSession.ts";

/**
 * An inbox as the admin console edits it (GET /admin/inboxes). Presenter:
 * server/presenters/presentInbox.ts. Never the identity secret: that is shown once,
 * by the command that makes or rotates it.
 */

export const INBOX_CHANNELS = ["web", "email", "sms", "whatsapp", "wechat", "api"] as const;
export type InboxChannel = (typeof INBOX_CHANNELS)[number];

/** 0 = Sunday. */
export type Weekday = "0" | "1" | "2" | "3" | "4" | "5" | "6";
/** Per weekday, open and close "HH:MM"; a missing day is closed. */
export type WorkingHours = Partial<Record<Weekday, { open: string; close: string }>>;

export interface PreChatForm {
  enabled: boolean;
  fields: PreChatField[];
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

export interface InboxForAdmin {
  id: string;
  slug: string;
  name: string;
  channel: InboxChannel;
  defaultTeamId: string | null;
  settings: {
    greeting: string;
    timezone: string;
    workingHours: WorkingHours | null;
    csatEnabled: boolean;
    npsEnabled: boolean;
    requireVerification: boolean;
    botEnabled: boolean;
    /** Legacy form of `preChatForm`: these fields, all optional. */
    preChatFields: Array<Exclude<PreChatFieldName, "phone">>;
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

/** POST /admin/inboxes and …/identity-secret: the inbox, and its identity secret, shown this once. */
export interface InboxWithSecret {
  inbox: InboxForAdmin;
  identitySecret: string;
}
