import { describe, expect, it } from "vitest";
import { AppError, toAppError } from "./errors.ts";

describe("toAppError", () => {
  it("keeps an AppError as it is", () => {
    const e = new AppError("conflict", "taken");
    expect(toAppError(e)).toBe(e);
  });

  it("makes a lost or refused database connection retryable, coded or not (the pool's connect timeout has no code)", () => {
    for (const err of [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      new Error("timeout exceeded when trying to connect"),
      new Error("Connection terminated unexpectedly"),
    ]) {
      const e = toAppError(err);
      expect([err.message, e.code, e.retryable]).toEqual([err.message, "unavailable", true]);
      expect(e.cause).toBe(err);
    }
  });

  it("reports anything else as an internal error, not retryable, with the original kept for the log", () => {
    const err = new TypeError("Cannot read properties of undefined");
    const e = toAppError(err);
    expect([e.code, e.retryable, e.cause]).toEqual(["internal_error", false, err]);
  });
});
