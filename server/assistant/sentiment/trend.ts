/**
 * Direction of a customer's mood over a conversation, from the per-turn sentiment
 * scores of their messages (oldest first). Used to hand a conversation to a human
 * before it boils over: rising anger (scores that keep falling, even when they are
 * already negative) counts as worsening.
 */

export type Trend = "worsening" | "stable" | "improving";

/** A conversation's scores the assistant keeps (in its state) to read the trend from. */
export const TREND_TURNS = 10;

export interface TrendResult {
  trend: Trend;
  /** Least-squares slope of score per turn over the window (negative = worse). */
  slope: number;
}

export interface TrendOptions {
  /** Only the most recent turns matter; older mood has been acted on already. Default 8. */
  window?: number;
  /** |slope| per turn needed to call a trend. Default 0.1 (a full swing over ~10 turns, or 0.2 per turn over 3). */
  minSlope?: number;
}

export function conversationTrend(scores: number[], options: TrendOptions = {}): TrendResult {
  const window = options.window ?? 8;
  const minSlope = options.minSlope ?? 0.1;
  const ys = scores.filter((s) => Number.isFinite(s)).slice(-window);
  const n = ys.length;
  if (n < 2) return { trend: "stable", slope: 0 };

  // Ordinary least squares on (turn index, score).
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let cov = 0;
  let varX = 0;
  for (let i = 0; i < n; i++) {
    cov += (i - meanX) * (ys[i]! - meanY);
    varX += (i - meanX) ** 2;
  }
  const slope = Math.round((cov / varX) * 1e4) / 1e4;
  const trend: Trend = slope <= -minSlope ? "worsening" : slope >= minSlope ? "improving" : "stable";
  return { trend, slope };
}
