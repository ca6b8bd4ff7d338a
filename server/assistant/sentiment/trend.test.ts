import { describe, expect, it } from "vitest";
import { conversationTrend } from "./trend.ts";

describe("conversationTrend", () => {
  it("is stable with fewer than two turns", () => {
    expect(conversationTrend([])).toEqual({ trend: "stable", slope: 0 });
    expect(conversationTrend([-0.8])).toEqual({ trend: "stable", slope: 0 });
  });

  it("calls a conversation that keeps getting angrier worsening, even when it started negative", () => {
    const r = conversationTrend([-0.2, -0.45, -0.6, -0.85]);
    expect(r.trend).toBe("worsening");
    expect(r.slope).toBeLessThan(0);
  });

  it("catches a sudden drop at the end", () => {
    expect(conversationTrend([0.2, 0.1, 0.2, -0.8]).trend).toBe("worsening");
  });

  it("calls recovering moods improving", () => {
    expect(conversationTrend([-0.7, -0.3, 0, 0.5]).trend).toBe("improving");
  });

  it("ignores small fluctuations", () => {
    expect(conversationTrend([0, 0.1, -0.05, 0.05, 0]).trend).toBe("stable");
  });

  it("only looks at the most recent turns", () => {
    // Long-gone anger followed by a calm stretch is not a trend any more.
    const scores = [-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(conversationTrend(scores).trend).toBe("stable");
    expect(conversationTrend(scores, { window: 12 }).trend).toBe("improving");
  });

  it("skips non-finite scores", () => {
    expect(conversationTrend([0.5, Number.NaN, 0.1, -0.3]).trend).toBe("worsening");
  });
});
