import { describe, expect, it } from "vitest";
import { showsFactAsked } from "./answerType.ts";

describe("showsFactAsked", () => {
  it("refuses a reply on the topic that lacks the figure, time or number asked for", () => {
    const topical = "Housing provident fund combination loans are also available; ask at a branch for details.";
    expect(showsFactAsked("what rate do you charge on a combination loan", topical)).toBe(false);
    expect(showsFactAsked("what rate do you charge on a combination loan", "The rate is LPR + 0.30%.")).toBe(true);
    expect(showsFactAsked("how long does a transfer abroad take", "Transfers abroad go by SWIFT.")).toBe(false);
    expect(showsFactAsked("how long does a transfer abroad take", "Arrival: 1–5 working days.")).toBe(true);
    expect(showsFactAsked("whats the hotline number", "Call 400-820-5588, option 1.")).toBe(true);
    expect(showsFactAsked("whats the hotline number", "Our staff can help you.")).toBe(false);
  });

  it("takes a street address for an address, not a phone number", () => {
    expect(
      showsFactAsked("whats the address of your main shanghai branch", "Shanghai Head Office Branch: 100 Harbour Road, Huangpu District."),
    ).toBe(true);
    expect(showsFactAsked("想写信投诉 寄哪个地址", "请寄至上海市黄浦区港湾路100号湾景银行客户投诉中心。")).toBe(true);
    expect(showsFactAsked("whats the address of your main shanghai branch", "Our staff can help you in English.")).toBe(false);
  });

  it("reads traditional characters as simplified", () => {
    expect(showsFactAsked("申訴送出去之後要多久才會回覆", "我們會在15個工作日內回覆。")).toBe(true);
  });

  it("asks nothing of a reply when no fact is asked, or the words only look like it", () => {
    expect(showsFactAsked("I lost my card", "Freeze it in the app first.")).toBe(true);
    // a phone that is a device, an account that is opened: no number, no opening hours asked
    expect(showsFactAsked("do i have to unlink my old phone before using the app on my new one", "It happens automatically.")).toBe(true);
    expect(showsFactAsked("how do i open an account", "Bring your ID card to a branch.")).toBe(true);
  });
});
