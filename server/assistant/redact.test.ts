import { describe, expect, it } from "vitest";
import { chineseIdValid, luhnValid, redactText } from "./redact.ts";

describe("redactText", () => {
  it("masks Luhn-valid card numbers, grouped or not, keeping the last four digits", () => {
    expect(redactText("my card 4111 1111 1111 1111 is lost").text).toBe("my card [card ****1111] is lost");
    expect(redactText("card 6222021234567890128").found).toContain("card");
  });

  it("does not treat a Luhn-invalid 16-digit number as a card, but masks it as an account", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    const r = redactText("ref 4111111111111112");
    expect(r.found).toEqual(["account"]);
    expect(r.text).toBe("ref [account ****1112]");
  });

  it("masks valid Chinese ID numbers only", () => {
    expect(chineseIdValid("11010519491231002X")).toBe(true);
    expect(redactText("身份证11010519491231002X").text).toBe("身份证[ID number]");
    expect(chineseIdValid("110105194912310021")).toBe(false);
  });

  it("masks phone numbers and e-mail addresses", () => {
    const r = redactText("call me on 138 1234 5678 or +44 20 7946 0958, mail jo.li@example.com");
    expect(r.text).toBe("call me on [phone] or [phone], mail [email]");
    expect(r.found.sort()).toEqual(["email", "phone"]);
  });

  it("leaves amounts, dates and short numbers alone", () => {
    const s = "I paid ¥12,000 on 2026-11-03, order 123456";
    expect(redactText(s)).toEqual({ text: s, found: [] });
  });
});
