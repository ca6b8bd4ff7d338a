import { describe, expect, it } from "vitest";
import { markdownToPlainText } from "./plainText.ts";

describe("markdownToPlainText (an agent's draft)", () => {
  it("drops emphasis, code and heading markers, keeping the words", () => {
    expect(markdownToPlainText("Open **Cards** and tap *Freeze* or `Lock`.", "en")).toBe("Open Cards and tap Freeze or Lock.");
    expect(markdownToPlainText("**漏存一个月还能补吗？** 可以。次月补存即可。", "zh")).toBe("漏存一个月还能补吗？ 可以。次月补存即可。");
    expect(markdownToPlainText("## Step 1: Freeze the card now\n\nTap **Freeze**.", "en")).toBe(
      "Step 1: Freeze the card now\n\nTap Freeze.",
    );
    expect(markdownToPlainText("Prices are \\*estimates\\*.", "en")).toBe("Prices are *estimates*.");
  });

  it("writes a link as its words with an address the customer can open, and a relative one as words alone", () => {
    expect(markdownToPlainText("See [debit card limits](https://bank.example/kb/cards/debit-card).", "en")).toBe(
      "See debit card limits (https://bank.example/kb/cards/debit-card).",
    );
    expect(markdownToPlainText("See [debit card limits](/kb/cards/debit-card) or [fees](../fees/atm-fees.md).", "en")).toBe(
      "See debit card limits or fees.",
    );
    expect(markdownToPlainText("Write to [help@bank.example](mailto:help@bank.example) or <https://bank.example>.", "en")).toBe(
      "Write to help@bank.example or https://bank.example.",
    );
  });

  it("writes a bulleted list as lines and a numbered one as numbered lines, keeping a quoted slice's numbers", () => {
    expect(markdownToPlainText("You will need:\n- the payee's name\n- **IBAN**\n- SWIFT code", "en")).toBe(
      "You will need:\nthe payee's name\nIBAN\nSWIFT code",
    );
    expect(markdownToPlainText("To freeze it:\n\n1. Open **Cards**.\n2. Tap **Freeze**.", "en")).toBe(
      "To freeze it:\n1. Open Cards.\n2. Tap Freeze.",
    );
    expect(markdownToPlainText("3. Confirm with your PIN.\n4. Wait for the SMS.", "en")).toBe(
      "3. Confirm with your PIN.\n4. Wait for the SMS.",
    );
  });

  it("reads a table's rows under their headers, with no pipes", () => {
    const twoColumns = "| Where you withdraw | Fee |\n|---|---|\n| ATM abroad | **¥12** + 1% of the amount |";
    expect(markdownToPlainText(twoColumns, "en")).toBe("ATM abroad: ¥12 + 1% of the amount");
    const zh = "| 取款地点 | 手续费 |\n|---|---|\n| 境外ATM（含港澳台地区） | 每笔12元 + 取款金额的1% |\n| 湾景银行ATM | 免费 |";
    expect(markdownToPlainText(zh, "zh")).toBe("境外ATM（含港澳台地区）：每笔12元 + 取款金额的1%\n湾景银行ATM：免费");
    const wide = "| Rating | Description | Typical products |\n|---|---|---|\n| R1 | Conservative | Money-market funds |";
    expect(markdownToPlainText(wide, "en")).toBe("R1 — Description: Conservative; Typical products: Money-market funds");
    expect(markdownToPlainText("| 等级 | 类型 | 典型产品 |\n|---|---|---|\n| R2 | 稳健型 | |", "zh")).toBe("R2——类型：稳健型");
  });

  it("keeps the passage's paragraphs apart and the text unescaped", () => {
    const draft = "A replacement card costs ¥10 & arrives in 5–7 working days.\n\n> Freeze it <b>first</b>.\n\n---\n\nCall 400-820-5588.";
    expect(markdownToPlainText(draft, "en")).toBe(
      "A replacement card costs ¥10 & arrives in 5–7 working days.\n\nFreeze it first.\n\nCall 400-820-5588.",
    );
  });
});
