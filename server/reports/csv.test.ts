import { describe, expect, it } from "vitest";
import type { Response } from "express";
import { csvCell, sendCsv, toCsv } from "./csv.ts";

describe("csv", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
  it("neutralises formulas but keeps numbers", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1 555")).toBe("'+1 555");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell(-2)).toBe("-2");
    expect(csvCell(1.5)).toBe("1.5");
  });
  it("writes a BOM and CRLF lines", () => {
    expect(toCsv(["a", "b"], [[1, "王芳"]])).toBe("\uFEFFa,b\r\n1,王芳\r\n");
  });
  it("answers a download named for the report and its range, formula-safe and never cached", () => {
    const sent: { status?: number; type?: string; headers: Record<string, string>; body?: string } = { headers: {} };
    const res = {
      status: (n: number) => ((sent.status = n), res),
      type: (t: string) => ((sent.type = t), res),
      set: (k: string, v: string) => ((sent.headers[k] = v), res),
      send: (b: string) => ((sent.body = b), res),
    };
    const range = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-04T12:00:00Z") };
    sendCsv(res as unknown as Response, "sla", range, ["policy", "rate"], [["=cmd()", 0.5]]);
    expect(sent).toEqual({
      status: 200,
      type: "text/csv; charset=utf-8",
      headers: { "Content-Disposition": 'attachment; filename="bankdesk-sla-2026-03-01-2026-03-04.csv"', "Cache-Control": "no-store" },
      body: "\uFEFFpolicy,rate\r\n'=cmd(),0.5\r\n",
    });
  });
});
