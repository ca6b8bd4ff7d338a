import { api, errorMessage } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, spinner } from "../../ui.ts";
import type { AccessLogPage, AccessLogVerification } from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { field, input, pageHeader, select } from "./kit.ts";
import type { AdminAgent } from "./types.ts";

const KINDS: Array<[string, string]> = [
  ["", "Everything"],
  ["conversation", "Conversations"],
  ["contact", "Customer profiles"],
  ["account_data", "Account data"],
  ["case", "Complaint cases"],
  ["export", "Exports"],
  ["privacy_export", "Privacy exports"],
];
const KIND_LABEL: Record<string, string> = {
  conversation: "Opened a conversation",
  contact: "Opened a customer's profile",
  account_data: "Read account data",
  case: "Opened a complaint case",
  export: "Exported data",
  privacy_export: "Exported a customer's data (privacy request)",
  attachment: "Opened an attachment",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 50;

/** Who read what: the hash-chained access log of staff reads, searchable by agent, customer, conversation and date. */
export async function accessLogSection(s: SectionContext): Promise<void> {
  const agents = (await api.get<{ items: AdminAgent[] }>("/admin/agents")).items;
  if (!s.alive()) return;
  const agent = select([["", "Anyone"], ...agents.map((a): [string, string] => [a.id, a.name])], "", {
    name: "agentId",
    class: "select select-sm",
  });
  const kind = select(KINDS, "", { name: "subjectType", class: "select select-sm" });
  const contact = input({ name: "contactId", placeholder: "Customer id", class: "input input-sm" });
  const conversation = input({ name: "conversationId", placeholder: "Conversation id", class: "input input-sm" });
  const from = input({ name: "from", type: "date", class: "input input-sm" });
  const to = input({ name: "to", type: "date", class: "input input-sm" });
  const rows = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-secondary btn-sm", hidden: true }, "Load older entries");
  const status = h("div", { class: "audit-status" });
  const chain = h("div", { class: "access-chain", role: "status" });
  const verify = h("button", { type: "button", class: "btn btn-secondary btn-sm" }, "Verify the chain");
  let cursor: string | null = null;
  let seq = 0;

  const id = (el: HTMLInputElement) => (UUID.test(el.value.trim()) ? el.value.trim() : undefined);
  // A date picks the whole day, in the admin's time zone.
  const day = (el: HTMLInputElement, next: boolean) => {
    if (!el.value) return undefined;
    const d = new Date(`${el.value}T00:00:00`);
    if (next) d.setDate(d.getDate() + 1);
    return d.toISOString();
  };

  const load = async (reset: boolean) => {
    const mySeq = ++seq;
    if (reset) {
      cursor = null;
      rows.replaceChildren();
      replace(status, spinner("Loading the access log…"));
    }
    more.disabled = true;
    const r = await api.get<AccessLogPage>("/admin/access-log", {
      agentId: agent.value || undefined,
      subjectType: kind.value || undefined,
      contactId: id(contact),
      conversationId: id(conversation),
      from: day(from, false),
      to: day(to, true),
      before: cursor ?? undefined,
      limit: PAGE,
    });
    if (mySeq !== seq || !s.alive()) return;
    for (const e of r.items) {
      const d = new Date(e.createdAt);
      rows.appendChild(
        h(
          "tr",
          { "data-subject": e.subjectType },
          h(
            "td",
            { class: "col-date" },
            h(
              "time",
              { datetime: e.createdAt, title: d.toString() },
              h("div", null, d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })),
              h("div", { class: "person-sub" }, d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })),
            ),
          ),
          h(
            "td",
            null,
            h("div", { class: "person-name" }, e.agent.name ?? "Deleted user"),
            e.ip ? h("div", { class: "person-sub mono" }, `from ${e.ip}`) : null,
          ),
          h(
            "td",
            null,
            h("div", null, KIND_LABEL[e.subjectType] ?? e.subjectType),
            h("div", { class: "person-sub mono", title: e.subjectId }, e.subjectId),
            e.contactId && e.contactId !== e.subjectId ? h("div", { class: "person-sub mono" }, `customer ${e.contactId}`) : null,
          ),
          h("td", { class: "mono person-sub" }, e.requestId ?? "—"),
        ),
      );
    }
    cursor = r.nextCursor;
    more.hidden = !cursor;
    more.disabled = false;
    replace(status, rows.children.length ? null : emptyState("file", "No entries", "Nothing matches these filters."));
  };
  more.addEventListener("click", () => void load(false));
  for (const el of [agent, kind, contact, conversation, from, to]) el.addEventListener("change", () => void load(true));
  verify.addEventListener("click", async () => {
    verify.disabled = true;
    replace(chain, spinner("Recomputing every link…"));
    try {
      const v = await api.get<AccessLogVerification>("/admin/access-log/verify");
      replace(
        chain,
        v.ok
          ? h("span", { class: "pill pill-green" }, `Intact: ${v.rows} entries, every link checked`)
          : h(
              "span",
              { class: "pill pill-red" },
              `Broken at entry ${v.firstBroken!.id} (${v.firstBroken!.reason.replace(/_/g, " ")}); ${v.rows} entries before it are intact`,
            ),
      );
    } catch (err) {
      replace(chain, h("span", { class: "pill pill-red" }, errorMessage(err)));
    } finally {
      verify.disabled = false;
    }
  });

  replace(
    s.body,
    pageHeader(
      "Access log",
      "Who opened which conversation, customer profile, account data, case or export, and when. Entries are chained by hash and cannot be changed; verifying recomputes every link.",
      h(
        "div",
        { class: "filters" },
        field("Who", agent, { name: "agentId" }),
        field("What", kind, { name: "subjectType" }),
        field("Customer", contact, { name: "contactId" }),
        field("Conversation", conversation, { name: "conversationId" }),
        field("From", from, { name: "from" }),
        field("To", to, { name: "to" }),
      ),
    ),
    h("div", { class: "access-verify" }, verify, chain),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "admin-table audit-table access-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["When", "Who", "What", "Request"].map((l) => h("th", { scope: "col" }, l)),
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
