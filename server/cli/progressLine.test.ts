import { describe, expect, it } from "vitest";
import { formatDuration, progressLine } from "./progressLine.ts";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (c: string) => void chunks.push(c) };
}

describe("progressLine", () => {
  it("prints nothing when stderr is not a terminal", () => {
    const out = stream(false);
    const p = progressLine("Syncing articles", { stream: out });
    p.update(0, 10);
    p.update(5, 10);
    p.update(10, 10);
    p.finish();
    expect(out.chunks).toEqual([]);
  });

  it("shows the count, the share and the time left on a terminal, then clears the line", () => {
    const out = stream(true);
    let t = 0;
    const p = progressLine("Syncing articles", { stream: out, now: () => t, intervalMs: 0 });
    p.update(0, 40);
    expect(out.chunks.at(-1)).toContain("Syncing articles 0/40 (0 %), estimating time left");
    t = 10_000;
    p.update(10, 40);
    // 10 in 10 s: 30 more take about 30 s.
    expect(out.chunks.at(-1)).toBe("\r\x1b[2KSyncing articles 10/40 (25 %), about 30 s left");
    t = 40_000;
    p.update(40, 40);
    expect(out.chunks.at(-1)).toContain("40/40 (100 %), done");
    p.finish();
    expect(out.chunks.at(-1)).toBe("\r\x1b[2K");
  });

  it("redraws at most once per interval, but always the last step", () => {
    const out = stream(true);
    let t = 0;
    const p = progressLine("Applying migrations", { stream: out, now: () => t, intervalMs: 100 });
    for (let i = 0; i <= 50; i++) p.update(i, 50);
    expect(out.chunks).toHaveLength(2);
    expect(out.chunks.at(-1)).toContain("50/50");
    t = 500;
    p.finish();
    expect(out.chunks.at(-1)).toBe("\r\x1b[2K");
  });

  it("writes durations a person reads at a glance", () => {
    expect(formatDuration(200)).toBe("1 s");
    expect(formatDuration(42_400)).toBe("42 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(3_723_000)).toBe("1 h 02 min");
  });
});
