import { describe, expect, it } from "vitest";
import { safeEqual } from "./safeEqual.ts";

describe("safeEqual", () => {
  it("compares strings of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });

  it("compares bytes of any length", () => {
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3, 0]))).toBe(false);
  });
});
