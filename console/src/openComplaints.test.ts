import { describe, expect, it } from "vitest";
import { openComplaints } from "./openComplaints.ts";
import type { Case } from "./types.ts";

const kase = (id: string, status: string, dueAt: string, details: Case["details"] = {}): Case =>
  ({
    id,
    reference: `CR-2026-${id}`,
    status,
    details,
    clocks: { acknowledge: null, finalResponse: { dueAt, dueDate: dueAt.slice(0, 10), doneAt: null, state: "running", used: 0 } },
  }) as unknown as Case;

const dispute = {
  kind: "disputed_transaction" as const,
  transactionId: "T-1",
  amount: 10,
  currency: "CNY",
  merchant: "M",
  date: "2026-12-01",
  account: null,
};

describe("a customer's open complaints in the profile panel", () => {
  it("has no marker when every case is closed", () => {
    expect(openComplaints([kase("1", "closed", "2026-12-01T16:00:00Z")])).toMatchObject({ cases: [], marker: null, dispute: false });
    expect(openComplaints(undefined).marker).toBeNull();
  });

  it("lists the open cases by the soonest deadline, whatever their status short of closed", () => {
    const r = openComplaints([
      kase("1", "investigating", "2026-12-20T16:00:00Z"),
      kase("2", "closed", "2026-12-01T16:00:00Z"),
      kase("3", "final_response", "2026-12-10T16:00:00Z"),
      kase("4", "escalated", "2026-12-15T16:00:00Z"),
    ]);
    expect(r.cases.map((c) => c.id)).toEqual(["3", "4", "1"]);
    expect(r.marker).toBe("3 open complaints");
  });

  it("says Dispute when one of them disputes a payment, and counts another team's cases it cannot show", () => {
    expect(openComplaints([kase("1", "received", "2026-12-20T16:00:00Z", dispute)]).marker).toBe("Dispute");
    // A closed dispute is history, not a running dispute.
    expect(
      openComplaints([kase("1", "closed", "2026-12-20T16:00:00Z", dispute), kase("2", "received", "2026-12-20T16:00:00Z")]).marker,
    ).toBe("Open complaint");
    expect(openComplaints([], 1)).toMatchObject({ cases: [], others: 1, marker: "Open complaint" });
    expect(openComplaints([kase("2", "received", "2026-12-20T16:00:00Z")], 2).marker).toBe("3 open complaints");
  });
});
