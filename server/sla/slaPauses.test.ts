import { describe, expect, it } from "vitest";
import { pausedMinutes } from "./slaPauses.ts";
import type { WorkingSchedule } from "./workingTime.ts";

const at = (min: number) => new Date(Date.UTC(2026, 2, 4, 9, 0) + min * 60_000);
const allDay: WorkingSchedule = { timezone: "UTC", hours: null, holidays: null };
const nineToSix: WorkingSchedule = { timezone: "UTC", hours: { "3": { open: "09:00", close: "18:00" } }, holidays: null };

describe("pausedMinutes", () => {
  it("counts the part of each snooze after the target started, a running one up to now", () => {
    const pauses = [
      { started_at: at(-60), ended_at: at(-30) }, // before the target: ignored
      { started_at: at(-10), ended_at: at(20) }, // 20 of its 30 minutes count
      { started_at: at(100), ended_at: null }, // still snoozed
    ];
    expect(pausedMinutes(pauses, at(0), at(130), allDay)).toBe(50);
    expect(pausedMinutes([], at(0), at(130), allDay)).toBe(0);
  });

  it("counts only working time (a snooze over the closing hour)", () => {
    // Wednesday 17:00 to 20:00 UTC: one working hour.
    expect(pausedMinutes([{ started_at: at(480), ended_at: at(660) }], at(0), at(700), nineToSix)).toBe(60);
  });
});
