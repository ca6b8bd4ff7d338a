import { describe, expect, it } from "vitest";
import { detectLanguage, toHalfWidth } from "./language.ts";

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

describe("toHalfWidth", () => {
  it("folds full-width letters, digits and punctuation", () => {
    expect(toHalfWidth("ＡＴＭ１２３，好。？！")).toBe("ATM123,好.?!");
  });
});
