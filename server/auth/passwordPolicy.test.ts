import { describe, expect, it } from "vitest";
import { passwordProblem } from "./passwordPolicy.ts";

describe("passwordProblem", () => {
  it("refuses short, repeated, common and personal passwords", async () => {
    expect(await passwordProblem("short")).toMatch(/at least 10/);
    expect(await passwordProblem("aaaaaaaaaa")).toMatch(/too easy to guess/);
    expect(await passwordProblem("password123")).toMatch(/too easy to guess/);
    expect(await passwordProblem("qwertyuiop")).toMatch(/too easy to guess/);
    expect(await passwordProblem("linazhang123", ["lina.zhang@bayviewbank.example", "Lina Zhang"])).toMatch(/your name or e-mail/);
  });

  it("accepts a long phrase of unrelated words", async () => {
    expect(await passwordProblem("correct-horse-battery-staple")).toBeUndefined();
    expect(await passwordProblem("lantern ferry orchid 42")).toBeUndefined();
  });
});
