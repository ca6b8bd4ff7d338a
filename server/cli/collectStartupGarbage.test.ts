import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { collectStartupGarbageWhenIdle } from "./collectStartupGarbage.ts";
import type { Logger } from "../logger.ts";

const logger = () => ({ debug: vi.fn() }) as unknown as Logger & { debug: ReturnType<typeof vi.fn> };

describe("collectStartupGarbageWhenIdle", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("collects once, after an idle span, and exposes gc to no later context", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] });
    const log = logger();
    collectStartupGarbageWhenIdle(log);
    expect(log.debug).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000); // a span in which this process did next to nothing
    expect(log.debug).toHaveBeenCalledTimes(1);
    expect(log.debug.mock.calls[0]![0]).toMatchObject({ rssBeforeMb: expect.any(Number), rssAfterMb: expect.any(Number) });
    vi.advanceTimersByTime(60_000);
    expect(log.debug).toHaveBeenCalledTimes(1);
    expect(vm.runInNewContext("typeof gc")).toBe("undefined");
  });

  it("does nothing once cancelled", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] });
    const log = logger();
    const cancel = collectStartupGarbageWhenIdle(log);
    cancel();
    vi.advanceTimersByTime(60_000);
    expect(log.debug).not.toHaveBeenCalled();
  });
});
