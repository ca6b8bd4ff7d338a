/**
 * The console's AI assistance for agents (server/assistant/agentAssist/): drafts and
 * previews only, never sent by themselves.
 */

export type AssistGenerator = "offline" | "llm";

/** A knowledge-base section a draft or a preview was made from. */
export interface AssistCitation {
  path: string;
  title: string;
  heading: string;
  url: string;
}

/** POST /conversations/{id}/assist/suggest-reply. */
export interface SuggestedReply {
  /** A draft for the agent to edit and send, in plain text (no Markdown); never sent by itself. Empty when declined. */
  text: string;
  citations: AssistCitation[];
  declined: boolean;
  /** The customer text the knowledge base was searched with (redacted). */
  query: string;
  generator: AssistGenerator;
}

/** POST /conversations/{id}/assist/summary. */
export interface AssistSummary {
  summary: string;
  generator: AssistGenerator;
}

/** POST /conversations/{id}/assist/improve-tone. */
export interface ImprovedTone {
  text: string;
  /** What changed (the offline rewrite lists its rules; a model's rewrite says so). */
  changes: string[];
  generator: AssistGenerator;
}

/** What the assistant would answer to a question, as a new anonymous customer (POST /assist/preview-answer). */
export interface AnswerPreview {
  answered: boolean;
  reply: string;
  language: string;
  /** The evidence's confidence, when the assistant searched the knowledge base. */
  confidence: number | null;
  citations: AssistCitation[];
  handoff: { needed: boolean; reason: string | null };
  intent: string;
}
