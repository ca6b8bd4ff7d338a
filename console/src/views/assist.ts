import { api } from "../api.ts";

/** The server's AI assistance for agents (server/assistant/agentAssist): drafts only, never sent by itself. */

export interface AssistCitation {
  path: string;
  title: string;
  heading: string;
  url: string;
}

export interface SuggestedReply {
  text: string;
  citations: AssistCitation[];
  declined: boolean;
  query: string;
  generator: "offline" | "llm";
}

export interface ConversationSummary {
  summary: string;
  generator: "offline" | "llm";
}

export interface ImprovedTone {
  text: string;
  changes: string[];
  generator: "offline" | "llm";
}

export const assist = {
  suggestReply: (conversationId: string) => api.post<SuggestedReply>(`/conversations/${conversationId}/assist/suggest-reply`),
  summary: (conversationId: string) => api.post<ConversationSummary>(`/conversations/${conversationId}/assist/summary`),
  improveTone: (conversationId: string, text: string) =>
    api.post<ImprovedTone>(`/conversations/${conversationId}/assist/improve-tone`, { text }),
};
