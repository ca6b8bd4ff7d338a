import { describe, expect, it } from "vitest";
import { olderStatus } from "./statusVersion.ts";

describe("olderStatus", () => {
  it("is older only with fewer status changes than the one shown", () => {
    expect(olderStatus({ statusVersion: 2 }, { statusVersion: 1 })).toBe(true);
    expect(olderStatus({ statusVersion: 2 }, { statusVersion: 2 })).toBe(false);
    expect(olderStatus({ statusVersion: 2 }, { statusVersion: 3 })).toBe(false);
    // Nothing shown yet, or a server that sends no version: never older.
    expect(olderStatus(undefined, { statusVersion: 0 })).toBe(false);
    expect(olderStatus({ statusVersion: 2 }, {})).toBe(false);
    expect(olderStatus({}, { statusVersion: 1 })).toBe(false);
  });
});
