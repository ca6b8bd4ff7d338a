/** Display formatting: waiting times, clocks, labels, avatars. */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function ts(iso: string | null | undefined): number {
  if (!iso) return NaN;
  return new Date(iso).getTime();
}

/** "<1 min", "12 min", "2 h 5 min", "3 d". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < MIN) return "<1 min";
  if (ms < HOUR) return `${Math.floor(ms / MIN)} min`;
  if (ms < DAY) {
    const hrs = Math.floor(ms / HOUR);
    const mins = Math.floor((ms % HOUR) / MIN);
    return mins ? `${hrs} h ${mins} min` : `${hrs} h`;
  }
  return `${Math.floor(ms / DAY)} d`;
}

/** Short "time ago": "now", "5m", "3h", "2d", or a date. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  const t = ts(iso);
  if (!Number.isFinite(t)) return "";
  const d = now - t;
  if (d < MIN) return "now";
  if (d < HOUR) return `${Math.floor(d / MIN)}m`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h`;
  if (d < 7 * DAY) return `${Math.floor(d / DAY)}d`;
  return new Date(t).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** The SLA level of a waiting time: ok under 5 min, warn under 15, late after. */
export function waitLevel(ms: number): "ok" | "warn" | "late" {
  if (ms >= 15 * MIN) return "late";
  if (ms >= 5 * MIN) return "warn";
  return "ok";
}

export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const start = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((start(now) - start(d)) / DAY);
  if (diff === 0) return "Today";
  if (diff === 1) return "Yesterday";
  return d.toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" });
}

export function sameDay(a: string, b: string): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

const REASONS: Record<string, string> = {
  explicit_request: "Asked for an agent",
  negative_sentiment: "Negative sentiment",
  sensitive_topic: "Sensitive topic",
  low_confidence: "Low confidence",
  rejected_answers: "Rejected answers",
  error: "Assistant error",
  channel_rule: "Channel rule",
  core_banking_unavailable: "Core banking unavailable",
  tool_failed: "Bank tool failed",
  complaint: "Complaint",
};

export function reasonLabel(reason: string | null | undefined): string {
  if (!reason) return "";
  return REASONS[reason] ?? reason.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export const PRIORITY_LABELS: Record<string, string> = {
  none: "No priority",
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};
export const STATUS_LABELS: Record<string, string> = { pending: "With assistant", open: "Open", snoozed: "Snoozed", resolved: "Resolved" };

export function initials(name: string | null | undefined): string {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "?";
  const first = Array.from(parts[0]!)[0] ?? "";
  const last = parts.length > 1 ? (Array.from(parts[parts.length - 1]!)[0] ?? "") : "";
  return (first + last).toUpperCase();
}

/** A stable, muted hue per id for avatars. */
export function hue(id: string): number {
  let x = 0;
  for (let i = 0; i < id.length; i++) x = (x * 31 + id.charCodeAt(i)) >>> 0;
  return x % 360;
}

export function contactName(c: { name?: string | null } | undefined | null): string {
  return c?.name?.trim() || "Unknown customer";
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : "";
}

export function percent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const v = x <= 1 ? x * 100 : x;
  return `${v.toFixed(v >= 10 ? 0 : 1)}%`;
}

/** Seconds (as the reports API gives them) to a compact duration. */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "—";
  if (s < 60) return `${Math.round(s)} s`;
  return duration(s * 1000);
}

/** A message sentiment in whatever shape the analyser stored: "negative" or {label, score}. */
export function sentimentOf(v: unknown): { label: string; score: number | null } | null {
  if (!v) return null;
  if (typeof v === "string") return { label: v, score: null };
  if (typeof v === "object" && typeof (v as { label?: unknown }).label === "string") {
    const s = (v as { score?: unknown }).score;
    return { label: (v as { label: string }).label, score: typeof s === "number" ? s : null };
  }
  return null;
}

/** A one-line preview of Markdown text for the list: no markup characters. */
export function preview(text: string | null | undefined): string {
  if (!text) return "";
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|`|~~)(?=\S)([^]*?\S)\1/g, "$2")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The section part of a passage's heading path. The path starts with the
 * article's title ("Lost or stolen card › Freezing your card"), which a label
 * beside the title must not say twice.
 */
export function sectionOf(title: string | null | undefined, heading: string | null | undefined): string {
  const t = title?.trim() ?? "";
  const hd = heading?.trim() ?? "";
  if (!t || hd === t) return t ? "" : hd;
  return hd.startsWith(`${t} › `) ? hd.slice(t.length + 3) : hd;
}

/** Where a passage comes from: "Title › Section". */
export function sourceLabel(title: string | null | undefined, heading: string | null | undefined): string {
  return [title?.trim(), sectionOf(title, heading)].filter(Boolean).join(" › ");
}
