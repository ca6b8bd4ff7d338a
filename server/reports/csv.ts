import type { Response } from "express";

/**
 * CSV (RFC 4180) that spreadsheets open safely: fields with commas, quotes or line
 * breaks are quoted (quotes doubled), and text that a spreadsheet would run as a
 * formula (starting with = + - @, tab or carriage return) is prefixed with a single
 * quote (OWASP "CSV injection"). Numbers are written as numbers, so a negative
 * number stays a number.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let s = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join("; ") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(",");
}

/** A whole document: header, rows, CRLF line ends, with a BOM so Excel reads UTF-8 (Chinese names). */
export function toCsv(header: string[], rows: unknown[][]): string {
  return "\uFEFF" + [csvRow(header), ...rows.map(csvRow)].join("\r\n") + "\r\n";
}

/**
 * Answers a CSV download of a report over a range: `bankdesk-<name>-<from>-<to>.csv` (UTC days), formula-safe
 * (toCsv), never cached (exports may name customers). Every report's export goes through it.
 */
export function sendCsv(res: Response, name: string, range: { from: Date; to: Date }, header: string[], rows: unknown[][]): void {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  res
    .status(200)
    .type("text/csv; charset=utf-8")
    .set("Content-Disposition", `attachment; filename="bankdesk-${name}-${day(range.from)}-${day(range.to)}.csv"`)
    .set("Cache-Control", "no-store")
    .send(toCsv(header, rows));
}
