/** Sentiment for customer messages: offline lexicon analyzer, mood trend and a customer's emotional profile. */
export {
  DEFAULT_THRESHOLD,
  EN_NEGATIVE_THRESHOLD,
  EN_POSITIVE_THRESHOLD,
  LexiconSentiment,
  type LexiconSentimentOptions,
  type SentimentAnalyzer,
  type SentimentExplanation,
  type SentimentHit,
  type SentimentLabel,
  type SentimentResult,
} from "./analyzer.ts";
export { conversationTrend, TREND_TURNS, type Trend, type TrendOptions, type TrendResult } from "./trend.ts";
export {
  emotionalProfile,
  type ConversationMood,
  type EmotionalProfile,
  type MoodReading,
  type NegativeEpisode,
} from "./emotionalProfile.ts";
export { loadEmotionalProfile } from "./loadEmotionalProfile.ts";
