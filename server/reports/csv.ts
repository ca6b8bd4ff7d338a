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
