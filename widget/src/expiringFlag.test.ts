import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ExpiringFlag } from "./expiringFlag.ts";

describe("ExpiringFlag", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("turns itself off after its time, and says so", () => {
    const expired = vi.fn();
    const flag = new ExpiringFlag(8000, expired);
    flag.set(true);
    vi.advanceTimersByTime(7999);
    expect(flag.on).toBe(true);
    vi.advanceTimersByTime(1);
    expect(flag.on).toBe(false);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("counts its time again from each set, and set off stays quiet", () => {
    const expired = vi.fn();
    const flag = new ExpiringFlag(1000, expired);
    flag.set(true);
    vi.advanceTimersByTime(900);
    flag.set(true);
    vi.advanceTimersByTime(900);
    expect(flag.on).toBe(true);
    flag.set(false);
    vi.advanceTimersByTime(5000);
    expect(flag.on).toBe(false);
    expect(expired).not.toHaveBeenCalled();
  });
});
