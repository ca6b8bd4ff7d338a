/**
 * A customer's emotional profile across their conversations, from the assistant's
 * reading of each of their messages. It answers what an agent needs before replying
 * to someone they have never spoken to: has this customer been upset with us before,
 * is it getting worse from one conversation to the next, did anger rise within a
 * conversation, and when did it last go badly.
 */
import { conversationTrend, type Trend } from "./trend.ts";
import type { SentimentLabel } from "./analyzer.ts";

/** One customer message as the assistant read it. */
export interface MoodReading {
  conversationId: string;
  at: Date | string;
  score: number;
  label: SentimentLabel;
}

export interface ConversationMood {
  conversationId: string;
  /** The first and the last reading. */
  from: string;
  to: string;
  readings: number;
  average: number;
  lowest: number;
  last: number;
  /** Within the conversation, over its turns: rising anger is "worsening" (see conversationTrend). */
  trend: Trend;
  slope: number;
}

/** A conversation in which the customer was upset, at its lowest reading. */
export interface NegativeEpisode {
  conversationId: string;
  at: string;
  score: number;
  /** The customer's messages read as negative in that conversation. */
  negativeMessages: number;
}

export interface EmotionalProfile {
  conversations: number;
  readings: number;
  /** Mean of the conversations' averages (each conversation counts once, however long): null without readings. */
  average: number | null;
  /** Share of the conversations with at least one negative message: null without readings. */
  negativeShare: number | null;
  /**
   * From one conversation to the next (each one's average, oldest first, the latest
   * eight): a customer whose conversations keep going worse is "worsening".
   */
  trend: Trend;
  slope: number;
  /** Newest first. */
  byConversation: ConversationMood[];
  /** Newest first, at most `episodes` (default 5). */
  recentNegative: NegativeEpisode[];
}

const round = (x: number) => Math.round(x * 1e3) / 1e3;
const iso = (d: Date | string) => new Date(d).toISOString();

/** The profile of the readings given (any order; conversations are told apart by id). */
export function emotionalProfile(readings: MoodReading[], options: { episodes?: number } = {}): EmotionalProfile {
  const byConversation = new Map<string, MoodReading[]>();
  const ordered = [...readings].filter((r) => Number.isFinite(r.score)).sort((a, b) => +new Date(a.at) - +new Date(b.at));
  for (const r of ordered) {
    const list = byConversation.get(r.conversationId);
    if (list) list.push(r);
    else byConversation.set(r.conversationId, [r]);
  }
  // Oldest first (by each conversation's first reading), as the trend reads them.
  const moods: ConversationMood[] = [...byConversation.entries()].map(([conversationId, rs]) => {
    const scores = rs.map((r) => r.score);
    const { trend, slope } = conversationTrend(scores);
    return {
      conversationId,
      from: iso(rs[0]!.at),
      to: iso(rs.at(-1)!.at),
      readings: rs.length,
      average: round(scores.reduce((a, b) => a + b, 0) / scores.length),
      lowest: Math.min(...scores),
      last: scores.at(-1)!,
      trend,
      slope,
    };
  });
  const episodes: NegativeEpisode[] = [];
  for (const [conversationId, rs] of byConversation) {
    const negative = rs.filter((r) => r.label === "negative");
    if (!negative.length) continue;
    const worst = negative.reduce((a, b) => (b.score < a.score ? b : a));
    episodes.push({ conversationId, at: iso(worst.at), score: worst.score, negativeMessages: negative.length });
  }
  const across = conversationTrend(moods.map((m) => m.average));
  return {
    conversations: moods.length,
    readings: ordered.length,
    average: moods.length ? round(moods.reduce((s, m) => s + m.average, 0) / moods.length) : null,
    negativeShare: moods.length ? round(episodes.length / moods.length) : null,
    trend: across.trend,
    slope: across.slope,
    byConversation: moods.reverse(),
    recentNegative: episodes.sort((a, b) => b.at.localeCompare(a.at)).slice(0, options.episodes ?? 5),
  };
}
