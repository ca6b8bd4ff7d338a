/** Inboxes and their settings, as the database returns them; the settings' parts an admin edits are the wire's (shared/wire/inboxes.ts). */
import type { InboxChannel, PreChatForm, WorkingHours } from "../../shared/wire/index.ts";

/**
 * What an admin sets on an inbox. A feature that keeps its own section here declares it beside its
 * schema, by augmenting this interface: `stepUp` (stepup/stepUpPolicy.ts) and `complaints`
 * (cases/jurisdictions.ts). The row types stay on the ground floor, the features' rules stay with them.
 */
export interface InboxSettings {
  greeting?: string;
  /** IANA zone for working hours, e.g. Asia/Shanghai. */
  timezone?: string;
  /** Per weekday (0 = Sunday) open and close "HH:MM"; a missing day is closed. */
  workingHours?: WorkingHours;
  csatEnabled?: boolean;
  /** Ask a Net Promoter question (0–10, "why?") after resolution, on the customer's channel (server/nps/); off when unset. */
  npsEnabled?: boolean;
  requireVerification?: boolean;
  /** Legacy form of `preChatForm`: these fields, all optional. */
  preChatFields?: Array<"name" | "email">;
  /** Asked of an unidentified visitor before their first message. */
  preChatForm?: PreChatForm;
  botEnabled?: boolean;
  /** Pages allowed to embed the widget (e.g. "https://www.bank.example"); any when unset. */
  allowedOrigins?: string[];
}

export interface InboxRow {
  id: string;
  slug: string;
  name: string;
  channel: InboxChannel;
  settings: InboxSettings;
  identity_secret: string;
  default_team_id: string | null;
  /** Days after resolution before retention removes a conversation (null: kept); migration 033. */
  retention_days?: number | null;
  retention_action?: "delete" | "anonymise";
  created_at: Date;
}
