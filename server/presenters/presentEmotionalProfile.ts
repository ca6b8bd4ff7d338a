import type { EmotionalProfile } from "../assistant/sentiment/emotionalProfile.ts";
import type { EmotionalProfile as WireEmotionalProfile } from "../../shared/wire/index.ts";

/** A customer's emotional profile for agents (scores -1 … 1, times in ISO 8601). */
export function presentEmotionalProfile(p: EmotionalProfile): WireEmotionalProfile {
  return {
    conversations: p.conversations,
    readings: p.readings,
    average: p.average,
    negativeShare: p.negativeShare,
    trend: p.trend,
    slope: p.slope,
    byConversation: p.byConversation.map((c) => ({
      conversationId: c.conversationId,
      from: c.from,
      to: c.to,
      readings: c.readings,
      average: c.average,
      lowest: c.lowest,
      last: c.last,
      trend: c.trend,
      slope: c.slope,
    })),
    recentNegative: p.recentNegative.map((e) => ({
      conversationId: e.conversationId,
      at: e.at,
      score: e.score,
      negativeMessages: e.negativeMessages,
    })),
  };
}
