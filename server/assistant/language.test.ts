import { describe, expect, it } from "vitest";
import { detectLanguage, isTraditional, toHalfWidth, toSimplified } from "./language.ts";

describe("detectLanguage", () => {
  it("detects plain English and plain Chinese", () => {
    expect(detectLanguage("How do I reset my PIN?")).toBe("en");
    expect(detectLanguage("我的卡丢了")).toBe("zh");
    expect(detectLanguage("我的卡丟了，請幫我掛失")).toBe("zh");
  });

  it("treats Chinese with embedded English words as Chinese", () => {
    expect(detectLanguage("我的Visa卡被冻结了")).toBe("zh");
    expect(detectLanguage("APP登录不了")).toBe("zh");
  });

  it("treats English with a few Han characters as English", () => {
    expect(detectLanguage("please check my 信用卡 bill for last month")).toBe("en");
  });

  it("defaults to English for text without letters", () => {
    expect(detectLanguage("12345 !!!")).toBe("en");
    expect(detectLanguage("")).toBe("en");
  });
});

describe("isTraditional / toSimplified", () => {
  it("recognises traditional text", () => {
    expect(isTraditional("我的卡被凍結了，請問怎麼辦")).toBe(true);
    expect(isTraditional("網銀登入不了")).toBe(true);
  });

  it("does not flag simplified text or English", () => {
    expect(isTraditional("我的卡被冻结了，请问怎么办")).toBe(false);
    expect(isTraditional("hello")).toBe(false);
    expect(isTraditional("你好")).toBe(false);
  });

  it("folds common traditional characters and leaves the rest alone", () => {
    expect(toSimplified("請問轉帳限額是多少")).toBe("请问转账限额是多少");
    expect(toSimplified("我的卡 card 123")).toBe("我的卡 card 123");
  });
});

describe("toHalfWidth", () => {
  it("folds full-width letters, digits and punctuation", () => {
    expect(toHalfWidth("ＡＴＭ１２３，好。？！")).toBe("ATM123,好.?!");
  });
});
