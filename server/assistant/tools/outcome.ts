import type { Language } from "../language.ts";
import { say } from "../replies.ts";
import type { BotState, QuickReply } from "../types.ts";

/** What a tool answers the customer with, and the change it proposes, if any. */
export interface ToolOutcome {
  reply: string;
  quickReplies?: QuickReply[];
  pendingConfirmation?: BotState["pendingConfirmation"];
  data?: unknown;
}

/** A change carried out after the customer's yes: the reply, and what the audit log records. */
export interface ConfirmedChange {
  reply: string;
  /** What the customer may do next (freeze the card of a disputed payment). */
  quickReplies?: QuickReply[];
  /** What was changed, e.g. `card:4321` (never a full number). */
  target: string;
  data: unknown;
}

/** How long a proposed change waits for the customer's yes. */
export const CONFIRM_TTL_MS = 10 * 60_000;

export const yesNo = (lang: Language): QuickReply[] => [
  { label: say("yes", lang), text: say("yes", lang) },
  { label: say("no", lang), text: say("no", lang) },
];
