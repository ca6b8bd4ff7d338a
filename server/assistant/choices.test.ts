import { describe, expect, it } from "vitest";
import { numberedList, optionNumber } from "./choices.ts";

describe("optionNumber", () => {
  it("reads the number a customer answers a numbered list with, in English and Chinese", () => {
    for (const [text, n] of [
      ["2", 2],
      [" 1. ", 1],
      ["#2", 2],
      ["option 1", 1],
      ["No. 2", 2],
      ["２", 2],
      ["第二个", 2],
      ["第1项", 1],
      ["二", 2],
      ["2号", 2],
    ] as const) {
      expect([text, optionNumber(text)]).toEqual([text, n]);
    }
  });

  it("is undefined for anything else", () => {
    for (const text of ["12", "0", "2 cards please", "two of them", "第十个", "SF12345678", ""]) expect(optionNumber(text)).toBeUndefined();
  });
});

describe("numberedList", () => {
  it("numbers the labels from 1, one a line", () => {
    expect(numberedList(["Fee schedule", "ATM withdrawal fees and limits: Saving on ATM fees"])).toBe(
      "1. Fee schedule\n2. ATM withdrawal fees and limits: Saving on ATM fees",
    );
  });
});
