import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, spinner } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { field, pageHeader, select } from "./kit.ts";
import type { AdminAgent, AuditEntry, AuditLogPage } from "./types.ts";

const AREAS: Array<[string, string]> = [
  ["", "All actions"],
  ["agent.", "Agents"],
  ["team.", "Teams"],
  ["inbox.", "Inboxes"],
  ["canned_response.", "Canned responses"],
  ["label.", "Labels"],
  ["auth.", "Sign-ins"],
  ["banking.", "Customer accounts"],
  ["stepup.", "Step-up verification"],
  ["custom_tool.", "Bank tools"],
  ["conversation.", "Conversations"],
  ["widget.", "Widget"],
  ["retention.", "Retention runs"],
  ["legal_hold.", "Legal holds"],
  ["privacy.", "Privacy requests"],
];

const ACTIONS: Record<string, string> = {
  "agent.create": "Created agent",
  "agent.update": "Changed agent",
  "agent.deactivate": "Deactivated agent",
  "agent.reactivate": "Reactivated agent",
  "agent.password_reset": "Reset password",
  "team.create": "Created team",
  "team.update": "Changed team",
  "team.delete": "Deleted team",
  "inbox.create": "Created inbox",
  "inbox.update": "Changed inbox",
  "inbox.identity_secret_rotated": "Rotated identity secret",
  "canned_response.create": "Added canned response",
  "canned_response.update": "Changed canned response",
  "canned_response.delete": "Deleted canned response",
  "label.create": "Added label",
  "label.update": "Changed label",
  "label.delete": "Deleted label",
  "auth.login": "Signed in",
  "auth.login_failed": "Failed sign-in",
  "auth.login_locked": "Sign-in while locked",
  "auth.session_ended": "Ended a session",
  "banking.viewed": "Viewed customer accounts",
  // Changes the assistant made in the core system after the customer's yes.
  "banking.freeze_card": "Froze a card",
  "banking.unfreeze_card": "Unfroze a card",
  "banking.report_card_lost": "Reported a card lost or stolen",
  "banking.make_up_instalment": "Made up a missed instalment",
  // One-time codes of step-up verification (the assistant asks and sends; the customer types).
  "stepup.requested": "Asked for a one-time code",
  "stepup.sent": "Sent a one-time code",
  "stepup.resent": "Sent a new one-time code",
  "stepup.undelivered": "Could not send a one-time code",
  "stepup.refused": "Did not send a one-time code",
  "stepup.succeeded": "Passed step-up verification",
  "stepup.failed": "Wrong or unusable one-time code",
  "stepup.expired": "Typed an expired one-time code",
  // The bank's own tools (Administration → Bank tools); a change one made is banking.custom_tool.<name>.
  "custom_tool.create": "Created bank tool",
  "custom_tool.update": "Saved a new version of a bank tool",
  "custom_tool.called": "Called a bank tool",
  "inbox.retention_updated": "Changed an inbox's retention",
  "retention.run": "Retention run",
  "legal_hold.placed": "Placed a legal hold",
  "legal_hold.released": "Released a legal hold",
  "privacy.exported": "Exported a customer's data",
  "privacy.erased": "Erased a customer's data",
};

const PAGE = 50;

function actorLabel(e: AuditEntry): string {
  if (e.actor.type === "agent") return e.actor.name ?? "Deleted user";
  if (e.actor.type === "system") return "System";
  if (e.actor.type === "bot") return "Assistant";
  return "Customer";
}

function short(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** "name: A → B; role: agent → admin", or the entry's data as key: value. */
function details(e: AuditEntry): HTMLElement {
  const changes = e.data.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  const items: HTMLElement[] = [];
  if (changes && typeof changes === "object") {
    for (const [k, c] of Object.entries(changes))
      items.push(
        h(
          "li",
          null,
          h("span", { class: "kv-key" }, k),
          " ",
          h("span", { class: "kv-from" }, short(c?.from)),
          " → ",
          h("span", { class: "kv-to" }, short(c?.to)),
        ),
      );
  }
  for (const [k, v] of Object.entries(e.data)) {
    if (k === "changes") continue;
    items.push(h("li", null, h("span", { class: "kv-key" }, k), " ", short(v)));
  }
  return items.length ? h("ul", { class: "kv" }, items) : h("span", { class: "muted" }, "—");
}

export async function auditSection(s: SectionContext): Promise<void> {
  const agents = (await api.get<{ items: AdminAgent[] }>("/admin/agents")).items;
  if (!s.alive()) return;
  const actor = select([["", "Anyone"], ...agents.map((a): [string, string] => [a.id, a.name])], "", {
    name: "actorId",
    class: "select select-sm",
  });
  const area = select(AREAS, "", { name: "action", class: "select select-sm" });
  const rows = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-secondary btn-sm", hidden: true }, "Load older entries");
  const status = h("div", { class: "audit-status" });
  let cursor: string | null = null;
  let seq = 0;

  const time = (iso: string) => {
    const d = new Date(iso);
    return h(
      "time",
      { datetime: iso, title: d.toString() },
      h("div", null, d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })),
      h("div", { class: "person-sub" }, d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })),
    );
  };

  const load = async (reset: boolean) => {
    const mySeq = ++seq;
    if (reset) {
      cursor = null;
      rows.replaceChildren();
      replace(status, spinner("Loading the audit log…"));
    }
    more.disabled = true;
    const r = await api.get<AuditLogPage>("/admin/audit-log", {
      actorId: actor.value || undefined,
      action: area.value || undefined,
      before: cursor ?? undefined,
      limit: PAGE,
    });
    if (mySeq !== seq || !s.alive()) return;
    for (const e of r.items)
      rows.appendChild(
        h(
          "tr",
          { "data-action": e.action },
          h("td", { class: "col-date" }, time(e.createdAt)),
          h(
            "td",
            null,
            h("div", { class: "person-name" }, actorLabel(e)),
            e.actor.email ? h("div", { class: "person-sub", title: e.actor.email }, e.actor.email) : null,
            e.ip ? h("div", { class: "person-sub mono" }, `from ${e.ip}`) : null,
          ),
          h(
            "td",
            null,
            h(
              "div",
              null,
              ACTIONS[e.action] ?? (e.action.startsWith("banking.custom_tool.") ? "Made a change with a bank tool" : e.action),
            ),
            h("div", { class: "person-sub mono", title: e.action }, e.action),
            e.target
              ? h(
                  "div",
                  { class: "person-sub mono", title: `${e.target.type} ${e.target.id ?? ""}` },
                  `${e.target.type} · ${(e.target.id ?? "").slice(0, 8)}`,
                )
              : null,
          ),
          h("td", null, details(e)),
        ),
      );
    cursor = r.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    replace(status, rows.children.length ? null : emptyState("file", "No entries", "Nothing matches these filters."));
  };
  more.addEventListener("click", () => void load(false));
  actor.addEventListener("change", () => void load(true));
  area.addEventListener("change", () => void load(true));

  replace(
    s.body,
    pageHeader(
      "Audit log",
      "Every administrative change, sign-in and view of a customer's accounts: who, what and when. Secrets are never recorded.",
      h("div", { class: "filters" }, field("Who", actor, { name: "actorId" }), field("What", area, { name: "action" })),
    ),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "admin-table audit-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["When", "Who", "What", "Details"].map((l) => h("th", { scope: "col" }, l)),
          ),
        ),
        rows,
      ),
    ),
    status,
    h("div", { class: "load-more" }, more),
  );
  await load(true);
}
