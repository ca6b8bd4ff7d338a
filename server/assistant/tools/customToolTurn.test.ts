import { describe, expect, it } from "vitest";
import type { StoredCustomTool } from "../../customTools/customToolStore.ts";
import { chosenTool, numberedChoices } from "./customToolTurn.ts";

const tool = (name: string, en: string, zh: string) =>
  ({ name, version: 1, enabled: true, definition: { label: { en, zh } } }) as unknown as StoredCustomTool;
const tracker = tool("track_card_delivery", "track your card delivery", "查询卡片寄送进度");
const booking = tool("book_branch_appointment", "book a branch appointment", "预约网点办理");
const other = tool("loan_status", "check your loan application", "查询贷款申请进度");
const tools = [tracker, booking, other];
// Offered in this order (the reply numbered them so); loan_status was not offered.
const offered = ["book_branch_appointment", "track_card_delivery"];

describe("chosenTool", () => {
  it("is the offered tool the customer named by its label (a quick reply's text), in their language", () => {
    expect(chosenTool(tools, offered, "Track your card delivery", "en")).toBe(tracker);
    expect(chosenTool(tools, offered, "预约网点办理", "zh")).toBe(booking);
  });

  it("is the offered tool at the number they typed, in the order offered", () => {
    expect(chosenTool(tools, offered, "1", "en")).toBe(booking);
    expect(chosenTool(tools, offered, "2", "en")).toBe(tracker);
    expect(chosenTool(tools, offered, "第二个", "zh")).toBe(tracker);
  });

  it("is none for a number past the list, a tool not offered, or other words", () => {
    expect(chosenTool(tools, offered, "3", "en")).toBeUndefined();
    expect(chosenTool(tools, offered, "check your loan application", "en")).toBeUndefined();
    expect(chosenTool(tools, offered, "the delivery one", "en")).toBeUndefined();
  });
});

describe("numberedChoices", () => {
  it("numbers each tool's label in the customer's language", () => {
    expect(numberedChoices([booking, tracker], "en")).toBe("1. book a branch appointment\n2. track your card delivery");
    expect(numberedChoices([booking, tracker], "zh")).toBe("1. 预约网点办理\n2. 查询卡片寄送进度");
  });
});
