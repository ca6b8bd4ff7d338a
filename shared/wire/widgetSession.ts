import type { ConversationSummary } from "./conversations.ts";

/** The REST answers the widget reads (server/services/web/routes/widget.ts). */

export type PreChatFieldName = "name" | "email" | "phone";
export type PreChatField = { name: PreChatFieldName; required: boolean };

/** Whether a person can answer now; `hours` describes the working hours when the inbox has them. */
export interface InboxAvailability {
  online: boolean;
  agentsOnline: boolean;
  withinHours: boolean;
  hours?: string;
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
