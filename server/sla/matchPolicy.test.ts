import { describe, expect, it } from "vitest";
import { matchPolicy, policyMatches } from "./matchPolicy.ts";
import type { SlaPolicyRow } from "./types.ts";

let n = 0;
function policy(over: Partial<SlaPolicyRow>): SlaPolicyRow {
  n++;
  return {
    id: `p${n}`,
    name: `policy ${n}`,
    position: 100,
    active: true,
    first_response_minutes: 60,
    next_response_minutes: null,
    resolution_minutes: null,
    business_hours: true,
    holiday_calendar: null,
    inbox_ids: [],
    team_ids: [],
    priorities: [],
    labels: [],
    created_at: new Date(2026, 0, n),
    updated_at: new Date(2026, 0, n),
    ...over,
  };
}
const conv = { inbox_id: "web", team_id: "care", priority: "high" as const, labels: ["vip", "cards"] };

describe("SLA policy matching", () => {
  it("needs every condition set to hold, any value within one", () => {
    expect(policyMatches(policy({}), conv)).toBe(true);
    expect(policyMatches(policy({ inbox_ids: ["email", "web"], priorities: ["urgent", "high"] }), conv)).toBe(true);
    expect(policyMatches(policy({ inbox_ids: ["web"], priorities: ["urgent"] }), conv)).toBe(false);
    expect(policyMatches(policy({ team_ids: ["care"] }), { ...conv, team_id: null })).toBe(false);
    expect(policyMatches(policy({ labels: ["loans", "vip"] }), conv)).toBe(true);
    expect(policyMatches(policy({ labels: ["loans"] }), conv)).toBe(false);
  });

  it("picks the lowest position among the matching active policies, then the oldest", () => {
    const catchAll = policy({ position: 1000 });
    const vip = policy({ position: 10, labels: ["vip"] });
    const urgent = policy({ position: 20, priorities: ["urgent"] });
    const retired = policy({ position: 0, active: false });
    expect(matchPolicy([catchAll, urgent, vip, retired], conv)?.id).toBe(vip.id);
    expect(matchPolicy([catchAll, urgent, vip], { ...conv, labels: [] })?.id).toBe(catchAll.id);
    const older = policy({ position: 10, team_ids: ["care"], created_at: new Date(2025, 0, 1) });
    expect(matchPolicy([vip, older], conv)?.id).toBe(older.id);
    expect(matchPolicy([urgent], conv)).toBeUndefined();
  });
});
