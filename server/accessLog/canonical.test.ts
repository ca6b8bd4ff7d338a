import { describe, expect, it } from "vitest";
import { canonicalRow, chainHash, GENESIS_HASH } from "./canonical.ts";

describe("access log canonical row", () => {
  const row = {
    id: 7,
    agentId: "00000000-0000-4000-8000-000000000001",
    subjectType: "conversation",
    subjectId: "00000000-0000-4000-8000-000000000002",
    contactId: null,
    conversationId: "00000000-0000-4000-8000-000000000002",
    ip: "127.0.0.1",
    requestId: "req-1",
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    micros: 678901,
  };

  it("joins the fields with absent ones empty and the time to the microsecond in UTC", () => {
    expect(canonicalRow(row)).toBe(
      "7|00000000-0000-4000-8000-000000000001|conversation|00000000-0000-4000-8000-000000000002||00000000-0000-4000-8000-000000000002|127.0.0.1|req-1|2026-01-02T03:04:05.678901Z",
    );
  });

  it("chains: a changed field or a changed predecessor changes the hash", () => {
    const h = chainHash(GENESIS_HASH, canonicalRow(row));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, canonicalRow({ ...row, subjectId: "other" }))).not.toBe(h);
    expect(chainHash("1".repeat(64), canonicalRow(row))).not.toBe(h);
  });
});
