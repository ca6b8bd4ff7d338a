import { api } from "../api.ts";
import type { AssistSummary, ImprovedTone, SuggestedReply } from "../../../shared/wire/index.ts";

/** The server's AI assistance for agents (server/assistant/agentAssist): drafts only, never sent by itself. */

export const assist = {
  suggestReply: (conversationId: string) => api.post<SuggestedReply>(`/conversations/${conversationId}/assist/suggest-reply`),
  summary: (conversationId: string) => api.post<AssistSummary>(`/conversations/${conversationId}/assist/summary`),
  improveTone: (conversationId: string, text: string) =>
    api.post<ImprovedTone>(`/conversations/${conversationId}/assist/improve-tone`, { text }),
};
