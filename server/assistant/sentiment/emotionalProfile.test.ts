import { describe, expect, it } from "vitest";
import { emotionalProfile, type MoodReading } from "./emotionalProfile.ts";

const label = (score: number) => (score <= -0.15 ? "negative" : score >= 0.35 ? "positive" : "neutral");
/** Readings of one conversation, a minute apart from `start`. */
const conv = (id: string, start: string, scores: number[]): MoodReading[] =>
  scores.map((score, i) => ({ conversationId: id, at: new Date(Date.parse(start) + i * 60_000), score, label: label(score) }));

describe("emotionalProfile", () => {
  it("is empty without readings", () => {
    expect(emotionalProfile([])).toEqual({
      conversations: 0,
      readings: 0,
      average: null,
      negativeShare: null,
      trend: "stable",
      slope: 0,
      byConversation: [],
      recentNegative: [],
    });
  });

  it("reads rising anger within a conversation and conversations going worse one after another", () => {
    const p = emotionalProfile([
      // Given out of order: the profile orders by time itself.
      ...conv("c3", "2026-03-03T09:00:00Z", [-0.2, -0.5, -0.8]),
      ...conv("c1", "2026-03-01T09:00:00Z", [0.45, 0.45]),
      ...conv("c2", "2026-03-02T09:00:00Z", [0, -0.1, 0]),
    ]);
    expect(p.conversations).toBe(3);
    expect(p.readings).toBe(8);
    expect(p.byConversation.map((c) => c.conversationId)).toEqual(["c3", "c2", "c1"]);
    expect(p.byConversation[0]).toMatchObject({ average: -0.5, lowest: -0.8, last: -0.8, readings: 3, trend: "worsening" });
    expect(p.byConversation[0]!.from).toBe("2026-03-03T09:00:00.000Z");
    expect(p.byConversation[0]!.to).toBe("2026-03-03T09:02:00.000Z");
    expect(p.byConversation[2]!.trend).toBe("stable");
    // Across conversations: 0.45, -0.033, -0.5.
    expect(p.trend).toBe("worsening");
    expect(p.slope).toBeLessThan(-0.4);
    expect(p.average).toBeCloseTo((0.45 - 0.1 / 3 - 0.5) / 3, 3);
    expect(p.negativeShare).toBeCloseTo(1 / 3, 3);
    expect(p.recentNegative).toEqual([{ conversationId: "c3", at: "2026-03-03T09:02:00.000Z", score: -0.8, negativeMessages: 3 }]);
  });

  it("counts each conversation once, however long, and keeps the latest episodes", () => {
    const readings = [
      ...conv("long-calm", "2026-01-01T00:00:00Z", new Array(20).fill(0.1)),
      ...[1, 2, 3, 4, 5, 6].flatMap((d) => conv(`bad-${d}`, `2026-02-0${d}T00:00:00Z`, [-0.6])),
    ];
    const p = emotionalProfile(readings, { episodes: 3 });
    expect(p.average).toBeCloseTo((0.1 - 0.6 * 6) / 7, 3);
    expect(p.recentNegative.map((e) => e.conversationId)).toEqual(["bad-6", "bad-5", "bad-4"]);
  });

  it("sees a customer calming down", () => {
    const p = emotionalProfile([
      ...conv("a", "2026-03-01T09:00:00Z", [-0.7]),
      ...conv("b", "2026-03-02T09:00:00Z", [-0.2]),
      ...conv("c", "2026-03-03T09:00:00Z", [0.4]),
    ]);
    expect(p.trend).toBe("improving");
  });
});
