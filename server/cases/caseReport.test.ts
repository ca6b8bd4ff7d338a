import { describe, expect, it } from "vitest";
import { acknowledgeBreached, daysTaken, finalResponseBreached, percentile, summarizeCases, type CaseReportRow } from "./caseReport.ts";
import { PRESETS } from "./jurisdictions.ts";

const at = (iso: string) => new Date(iso);

function row(over: Partial<CaseReportRow>): CaseReportRow {
  return {
    id: crypto.randomUUID(),
    reference: "CR-2026-000001",
    contact_id: "c1",
    inbox_id: "i1",
    team_id: null,
    owner_id: null,
    handler_ids: [],
    source: "agent",
    language: "zh",
    summary: "s",
    category_id: null,
    product_id: null,
    severity: "medium",
    status: "received",
    escalated_to: null,
    jurisdiction: "cn",
    policy: PRESETS.cn,
    received_at: at("2026-03-02T02:00:00Z"),
    acknowledge_due_at: at("2026-03-03T16:00:00Z"),
    acknowledged_at: null,
    due_at: at("2026-03-23T16:00:00Z"),
    extensions: 0,
    final_response_at: null,
    closed_at: null,
    root_cause: null,
    remedy: {},
    details: {},
    request_key: null,
    anonymised_at: null,
    created_at: at("2026-03-02T02:00:00Z"),
    updated_at: at("2026-03-02T02:00:00Z"),
    category_code: null,
    category_en: null,
    category_zh: null,
    product_code: null,
    product_en: null,
    product_zh: null,
    inbox_name: "Web",
    team_name: null,
    owner_name: null,
    contact_name: "Li",
    ...over,
  };
}

describe("days taken, as the case clocks count them", () => {
  it("counts working days on the jurisdiction's calendar, across the Spring Festival and its make-up Saturdays", () => {
    // Received Tue 10 Feb 2026 in Shanghai, answered Mon 9 Mar: the 15th working day, 27 calendar days.
    const c = { received_at: at("2026-02-10T03:00:00Z"), policy: PRESETS.cn };
    expect(daysTaken(c, at("2026-03-09T08:00:00Z"))).toEqual({ business: 15, calendar: 27 });
  });

  it("counts in the jurisdiction's time zone: 01:00 in Shanghai is the next day", () => {
    // 17:00 UTC Mon 2 Mar is 01:00 Tue 3 Mar in Shanghai; acknowledged Tue 3 Mar 09:00 Shanghai: the same day.
    const c = { received_at: at("2026-03-02T17:00:00Z"), policy: PRESETS.cn };
    expect(daysTaken(c, at("2026-03-03T01:00:00Z"))).toEqual({ business: 0, calendar: 0 });
    // Received Fri 6 Mar, answered Mon 9 Mar: one working day, three calendar days.
    expect(daysTaken({ received_at: at("2026-03-06T02:00:00Z"), policy: PRESETS.cn }, at("2026-03-09T02:00:00Z"))).toEqual({
      business: 1,
      calendar: 3,
    });
  });

  it("falls back to calendar days in a year the calendar does not cover, as the clock does", () => {
    const c = { received_at: at("2027-03-01T02:00:00Z"), policy: PRESETS.cn };
    expect(daysTaken(c, at("2027-03-08T02:00:00Z"))).toEqual({ business: 7, calendar: 7 });
  });
});

describe("percentile", () => {
  it("interpolates between ranks like percentile_cont", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([4], 0.9)).toBe(4);
    expect(percentile([1, 3], 0.5)).toBe(2);
    expect(percentile([10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.9)).toBe(9.1);
  });
});

describe("breaches", () => {
  const now = at("2026-03-10T00:00:00Z");
  it("counts an acknowledgement late or overdue, and none when the rule sets no acknowledgement", () => {
    expect(acknowledgeBreached({ acknowledge_due_at: at("2026-03-03T16:00:00Z"), acknowledged_at: at("2026-03-04T01:00:00Z") }, now)).toBe(
      true,
    );
    expect(acknowledgeBreached({ acknowledge_due_at: at("2026-03-03T16:00:00Z"), acknowledged_at: at("2026-03-03T01:00:00Z") }, now)).toBe(
      false,
    );
    expect(acknowledgeBreached({ acknowledge_due_at: at("2026-03-03T16:00:00Z"), acknowledged_at: null }, now)).toBe(true);
    expect(acknowledgeBreached({ acknowledge_due_at: at("2026-03-13T16:00:00Z"), acknowledged_at: null }, now)).toBe(false);
    expect(acknowledgeBreached({ acknowledge_due_at: null, acknowledged_at: null }, now)).toBeNull();
  });
  it("counts a final response late, or overdue and still running; a case closed unanswered is not running", () => {
    const due = at("2026-03-05T16:00:00Z");
    expect(finalResponseBreached({ due_at: due, final_response_at: at("2026-03-06T00:00:00Z"), status: "closed" }, now)).toBe(true);
    expect(finalResponseBreached({ due_at: due, final_response_at: null, status: "investigating" }, now)).toBe(true);
    expect(finalResponseBreached({ due_at: due, final_response_at: null, status: "closed" }, now)).toBe(false);
  });
});

describe("summarizeCases", () => {
  it("groups root causes ignoring case and spacing, finds repeat complainants and sums refunds per currency", () => {
    const r = summarizeCases(
      [
        row({
          contact_id: "a",
          reference: "CR-2026-000001",
          root_cause: "Fee  charged twice",
          remedy: { refundAmount: 12.5, apology: true },
        }),
        row({
          contact_id: "a",
          reference: "CR-2026-000002",
          root_cause: "fee charged twice",
          remedy: { refundAmount: 7.5, currency: "CNY" },
        }),
        row({ contact_id: "b", jurisdiction: "uk", policy: PRESETS.uk, remedy: { refundAmount: 30, processChange: "Retrain staff" } }),
      ],
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") },
      at("2026-03-02T03:00:00Z"),
    );
    expect(r.total).toBe(3);
    expect(r.rootCauses).toEqual({ items: [{ rootCause: "Fee charged twice", count: 2 }], notRecorded: 1, anonymised: 0 });
    expect(r.repeatComplainants).toEqual({
      count: 1,
      items: [{ contactId: "a", name: "Li", cases: 2, references: ["CR-2026-000001", "CR-2026-000002"] }],
    });
    expect(r.remedies).toEqual({
      refunds: [
        { currency: "CNY", total: 20, cases: 2 },
        { currency: "GBP", total: 30, cases: 1 },
      ],
      apologies: 1,
      processChanges: 1,
    });
    expect(r.byCategory).toEqual([{ id: null, code: null, nameEn: null, nameZh: null, count: 3 }]);
  });

  it("counts a case anonymised by retention: its root cause as anonymised, its process change and refund still made", () => {
    const r = summarizeCases(
      [
        row({ status: "closed", anonymised_at: at("2029-01-01T00:00:00Z"), remedy: { refundAmount: 5, processChangeRecorded: true } }),
        row({ root_cause: null }),
      ],
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") },
      at("2026-03-02T03:00:00Z"),
    );
    expect(r.total).toBe(2);
    expect(r.byStatus).toEqual({ closed: 1, received: 1 });
    expect(r.rootCauses).toEqual({ items: [], notRecorded: 1, anonymised: 1 });
    expect(r.remedies).toEqual({ refunds: [{ currency: "CNY", total: 5, cases: 1 }], apologies: 0, processChanges: 1 });
  });
});
