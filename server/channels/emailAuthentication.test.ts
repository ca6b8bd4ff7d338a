import { describe, expect, it } from "vitest";
import { senderAuthenticated } from "./emailAuthentication.ts";

const lines = (...values: string[]) => values.map((v) => ({ key: "authentication-results", line: `Authentication-Results: ${v}` }));
const RELAY = "mx.bank.example";

describe("senderAuthenticated", () => {
  it("trusts DMARC pass for the From domain in the relay's own header", () => {
    const h = lines(
      `mx.bank.example;\r\n\tspf=pass smtp.mailfrom=mail.example; dkim=pass header.d=mail.example;\r\n dmarc=pass (p=reject dis=none) header.from=Mail.Example`,
    );
    expect(senderAuthenticated(h, RELAY, "wang.fang@mail.example")).toBe(true);
    expect(senderAuthenticated(lines("mx.bank.example 1; dmarc=pass header.from=mail.example"), RELAY, "a@mail.example")).toBe(true);
  });

  it("refuses everything else", () => {
    // No relay configured, no header, another relay's header, or only the lower of two (the top one is the relay's).
    expect(senderAuthenticated(lines("mx.bank.example; dmarc=pass header.from=mail.example"), undefined, "a@mail.example")).toBe(false);
    expect(senderAuthenticated([], RELAY, "a@mail.example")).toBe(false);
    expect(senderAuthenticated(lines("mx.evil.example; dmarc=pass header.from=mail.example"), RELAY, "a@mail.example")).toBe(false);
    expect(
      senderAuthenticated(
        lines("mx.bank.example; dmarc=fail header.from=mail.example", "mx.bank.example; dmarc=pass header.from=mail.example"),
        RELAY,
        "a@mail.example",
      ),
    ).toBe(false);
    // DMARC failed, absent, or passed for another domain; SPF or DKIM alone is not alignment with the From address.
    expect(senderAuthenticated(lines("mx.bank.example; dmarc=fail header.from=mail.example"), RELAY, "a@mail.example")).toBe(false);
    expect(
      senderAuthenticated(
        lines("mx.bank.example; spf=pass smtp.mailfrom=mail.example; dkim=pass header.d=mail.example"),
        RELAY,
        "a@mail.example",
      ),
    ).toBe(false);
    expect(senderAuthenticated(lines("mx.bank.example; dmarc=pass header.from=other.example"), RELAY, "a@mail.example")).toBe(false);
    expect(senderAuthenticated(lines("mx.bank.example; dmarc=pass"), RELAY, "a@mail.example")).toBe(false);
    // A comment that looks like a result is not one.
    expect(senderAuthenticated(lines("mx.bank.example; dmarc=none (dmarc=pass header.from=mail.example)"), RELAY, "a@mail.example")).toBe(
      false,
    );
  });
});
