import type { View } from "./types.ts";

/** The Cases views (server: GET /cases?view=…). */
export const CASE_VIEWS = [
  ["mine", "My cases"],
  ["team", "Team"],
  ["due_soon", "Due soon"],
  ["breached", "Breached"],
  ["all", "All open"],
  ["closed", "Closed"],
] as const;
export type CaseView = (typeof CASE_VIEWS)[number][0];

export const VIEWS: Array<{ id: View; label: string; icon: "user" | "inbox" | "layers" | "sparkle" | "archive"; empty: string }> = [
  { id: "mine", label: "Mine", icon: "user", empty: "Nothing assigned to you right now." },
  { id: "unassigned", label: "Unassigned", icon: "inbox", empty: "No one is waiting for an agent. Nice work." },
  { id: "all", label: "All", icon: "layers", empty: "No conversations match." },
  { id: "bot", label: "Bot", icon: "sparkle", empty: "The assistant isn't handling any conversation." },
  { id: "resolved", label: "Resolved", icon: "archive", empty: "No resolved conversations yet." },
];

export const ADMIN_SECTIONS = [
  "agents",
  "teams",
  "inboxes",
  "canned-responses",
  "labels",
  "tools",
  "sla-policies",
  "automation",
  "early-warning",
  "segments",
  "sessions",
  "audit-log",
  "access-log",
  "privacy",
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { page: "inbox"; view: View; id: string | null }
  | { page: "reports" }
  | { page: "cases"; view: CaseView; id: string | null }
  | { page: "admin"; section: AdminSection; id: string | null };

const BASE = "/console";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .replace(/^\/console\/?/, "")
    .split("/")
    .filter(Boolean);
  if (parts[0] === "reports") return { page: "reports" };
  if (parts[0] === "cases") {
    const view = CASE_VIEWS.find(([v]) => v === parts[1])?.[0] ?? "mine";
    return { page: "cases", view, id: parts[2] && UUID.test(parts[2]) ? parts[2] : null };
  }
  if (parts[0] === "admin") {
    const section = ADMIN_SECTIONS.find((s) => s === parts[1]) ?? "agents";
    return { page: "admin", section, id: parts[2] && UUID.test(parts[2]) ? parts[2] : null };
  }
  const view = VIEWS.some((v) => v.id === parts[0]) ? (parts[0] as View) : "mine";
  const id = parts[1] && UUID.test(parts[1]) ? parts[1] : null;
  return { page: "inbox", view, id };
}

export function routePath(r: Route): string {
  if (r.page === "reports") return `${BASE}/reports`;
  if (r.page === "cases") return `${BASE}/cases/${r.view}${r.id ? `/${r.id}` : ""}`;
  if (r.page === "admin") return `${BASE}/admin/${r.section}${r.id ? `/${r.id}` : ""}`;
  return `${BASE}/${r.view}${r.id ? `/${r.id}` : ""}`;
}
