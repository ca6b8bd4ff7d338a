import type { ConversationSummary } from "./conversations.ts";

/** The REST answers the widget reads (server/services/web/routes/widget.ts). */

/** What a pre-chat form may ask for (server/admin/inboxSettingsSchema.ts validates against this list). */
export const PRE_CHAT_FIELDS = ["name", "email", "phone"] as const;
export type PreChatFieldName = (typeof PRE_CHAT_FIELDS)[number];
export type PreChatField = { name: PreChatFieldName; required: boolean };

/** Whether a person can answer now; `hours` describes the working hours when the inbox has them. */
export interface InboxAvailability {
  online: boolean;
  agentsOnline: boolean;
  withinHours: boolean;
  /** The inbox's service hours, when it has any (shared/serviceHours.ts words them). */
  hours?: ServiceHours;
}

/** Service hours as data: every open day from `open` to `close` (HH:MM), or the first open day's when they differ. */
export interface ServiceHours {
  open: string;
  close: string;
  /** Open every day of the week, at the same hours. */
  daily: boolean;
  timeZone?: string;
}

/** POST /widget/sessions: a new or resumed session, and what the widget needs to open. */
export interface WidgetSession {
  token: string;
  verified: boolean;
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  inbox: {
    name: string;
    greeting: string | null;
    preChatFields: PreChatFieldName[];
    csatEnabled: boolean;
    npsEnabled: boolean;
    maxAttachmentBytes: number;
  };
  /** The pre-chat form to fill in before the first message, when the inbox has one. */
  preChat: { fields: PreChatField[] } | null;
  availability: InboxAvailability;
  conversations: ConversationSummary[];
}
