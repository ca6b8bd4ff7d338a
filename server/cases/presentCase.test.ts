import { describe, expect, it } from "vitest";
import { presentCaseDetails } from "./presentCase.ts";

describe("presentCaseDetails", () => {
  const dispute = {
    kind: "disputed_transaction",
    transactionId: "T-1",
    amount: 12.5,
    currency: "CNY",
    merchant: "CAFE",
    date: "2026-11-20",
    account: "Everyday Debit",
  };

  it("keeps a dispute's fields and drops any other key", () => {
    expect(presentCaseDetails({ ...dispute, cardNumber: "6222021234567890123", note: "x" })).toEqual(dispute);
  });

  it("shows a dispute stored without its account", () => {
    const { account: _account, ...stored } = dispute;
    expect(presentCaseDetails(stored)).toEqual({ ...stored, account: null });
  });

  it("shows no details for an ordinary complaint, an unknown kind or a malformed dispute", () => {
    expect(presentCaseDetails({})).toEqual({});
    expect(presentCaseDetails(null)).toEqual({});
    expect(presentCaseDetails({ kind: "something_else", amount: 1 })).toEqual({});
    expect(presentCaseDetails({ ...dispute, amount: "12.50" })).toEqual({});
  });
});
