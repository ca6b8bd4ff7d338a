import { describe, expect, it } from "vitest";
import { segmentCondition, segmentCriteriaSchema } from "./segmentCriteria.ts";

const build = (criteria: Parameters<typeof segmentCondition>[0], start = 0) => {
  const params: unknown[] = Array.from({ length: start });
  const sql = segmentCondition(criteria, "c.contact_id", (v) => (params.push(v), `$${params.length}`));
  return { sql, params: params.slice(start) };
};

describe("a segment's criteria", () => {
  it("needs at least one known condition; labels are kept as the console writes them (lower case)", () => {
    expect(segmentCriteriaSchema.safeParse({}).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ vulnerable: undefined }).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ products: ["mortgage"] }).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ channels: [] }).success).toBe(false);
    expect(segmentCriteriaSchema.parse({ labels: [" VIP "] })).toEqual({ labels: ["vip"] });
  });

  it("is one AND of EXISTS on the contact, false negating, values as parameters numbered after the query's own", () => {
    const { sql, params } = build({ vulnerable: false, openComplaint: true, channels: ["wechat"], labels: ["vip"] }, 3);
    expect(sql).toMatch(/^\(NOT EXISTS \(SELECT 1 FROM contact_vulnerabilities sv WHERE sv.contact_id = c.contact_id\) AND EXISTS/);
    expect(sql).toContain("sk.status <> 'closed'");
    expect(sql).toContain("si.channel = ANY($4::text[])");
    expect(sql).toContain("sl.labels && $5::text[]");
    expect(params).toEqual([["wechat"], ["vip"]]);
    // Booleans are written into the SQL as EXISTS / NOT EXISTS: nothing a value could inject.
    expect(build({ npsDetractor: true }).params).toEqual([]);
  });

  it("reads a contact attribute by key as a parameter, never as SQL", () => {
    expect(segmentCriteriaSchema.safeParse({ contactAttribute: { key: "tier'; DROP TABLE contacts; --", value: "x" } }).success).toBe(
      false,
    );
    const { sql, params } = build({ contactAttribute: { key: "tier", value: "VIP" } });
    expect(sql).toContain("lower(sa.attributes ->> $2::text) = lower($3::text)");
    expect(params).toEqual(["tier", "tier", "VIP"]);
  });
});
