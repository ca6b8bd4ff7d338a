import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, toast } from "../../ui.ts";
import type { InboxRef, InboxRefList, SlaPolicy, TeamRef, TeamRefList } from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { field, formModal, iconButton, input, pageHeader, pill, rowActions, select, table, toggle } from "./kit.ts";

const PRIORITIES: Array<[string, string]> = [
  ["urgent", "Urgent"],
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
  ["none", "No priority"],
];
const CALENDARS: Array<[string, string]> = [
  ["", "No holidays"],
  ["cn", "Mainland China (with make-up working days)"],
  ["uk", "England & Wales bank holidays"],
  ["us", "US federal holidays"],
];

/** "90" → "1 h 30 min"; targets are stored in minutes. */
export function minutesLabel(m: number | null): string {
  if (!m) return "—";
  const d = Math.floor(m / 1440);
  const hrs = Math.floor((m % 1440) / 60);
  const min = m % 60;
  return [d ? `${d} d` : "", hrs ? `${hrs} h` : "", min ? `${min} min` : ""].filter(Boolean).join(" ");
}

/** A target: a number and its unit (minutes or hours); empty for none. */
function targetInput(name: string, minutes: number | null) {
  const inHours = Boolean(minutes && minutes % 60 === 0);
  const amount = input({
    name,
    type: "number",
    min: 1,
    step: 1,
    value: minutes ? String(inHours ? minutes / 60 : minutes) : "",
    placeholder: "none",
  });
  const unit = select(
    [
      ["minutes", "minutes"],
      ["hours", "hours"],
    ],
    inHours || !minutes ? "hours" : "minutes",
    { name: `${name}Unit`, "aria-label": "Unit" },
  );
  return {
    el: h("div", { class: "sla-target-input" }, amount, unit),
    value: (): number | null => {
      const n = Number(amount.value);
      if (!amount.value.trim() || !Number.isFinite(n) || n <= 0) return null;
      return Math.round(unit.value === "hours" ? n * 60 : n);
    },
  };
}

function multiSelect(name: string, options: Array<[string, string]>, chosen: string[]) {
  return h(
    "select",
    { class: "select", multiple: true, name, size: Math.min(5, Math.max(2, options.length)) },
    options.map(([v, text]) => h("option", { value: v, selected: chosen.includes(v) }, text)),
  );
}
const picked = (s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value);

/** Settings → SLA policies: targets, hours and the conditions that apply each, in order of precedence. */
export async function slaPoliciesSection(s: SectionContext): Promise<void> {
  const [{ items }, inboxes, teams] = await Promise.all([
    api.get<{ items: SlaPolicy[] }>("/sla-policies"),
    api.get<InboxRefList>("/inboxes"),
    api.get<TeamRefList>("/teams"),
  ]);
  if (!s.alive()) return;
  const nameOf = (list: Array<InboxRef | TeamRef>, id: string) => list.find((x) => x.id === id)?.name ?? "(deleted)";

  const edit = (p: SlaPolicy | null) => {
    const name = input({ name: "name", value: p?.name ?? "", maxlength: 80, placeholder: "Standard" });
    const position = input({ name: "position", type: "number", min: 0, max: 10000, value: String(p?.position ?? 100) });
    const first = targetInput("firstResponseMinutes", p?.firstResponseMinutes ?? null);
    const next = targetInput("nextResponseMinutes", p?.nextResponseMinutes ?? null);
    const resolution = targetInput("resolutionMinutes", p?.resolutionMinutes ?? null);
    const businessHours = toggle(
      "Count business hours only",
      p?.businessHours ?? true,
      "The inbox's working hours and time zone; off (or an inbox without hours): around the clock.",
      { name: "businessHours" },
    );
    const calendar = select(CALENDARS, p?.holidayCalendar ?? "", { name: "holidayCalendar" });
    const inboxSel = multiSelect(
      "inboxIds",
      inboxes.items.map((i) => [i.id, i.name]),
      p?.conditions.inboxIds ?? [],
    );
    const teamSel = multiSelect(
      "teamIds",
      teams.items.map((t) => [t.id, t.name]),
      p?.conditions.teamIds ?? [],
    );
    const prioritySel = multiSelect("priorities", PRIORITIES, p?.conditions.priorities ?? []);
    const labels = input({ name: "labels", value: (p?.conditions.labels ?? []).join(", "), placeholder: "vip, complaint" });
    const active = p ? toggle("Active", p.active, "Retired policies stay in the reports.", { name: "active" }) : null;
    formModal({
      title: p ? `Edit “${p.name}”` : "New SLA policy",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("Order", position, { name: "position", hint: "Lower comes first: the first policy whose conditions all match applies." }),
        field("First response", first.el, { name: "firstResponseMinutes", hint: "From reaching people to an agent's first reply." }),
        field("Next response", next.el, { name: "nextResponseMinutes", hint: "From each later customer message to the agent's reply." }),
        field("Resolution", resolution.el, { name: "resolutionMinutes", hint: "From reaching people to resolved." }),
        field("Holidays", calendar, { name: "holidayCalendar", hint: "Closed on these public holidays (business hours only)." }),
        h("div", { class: "af af-wide" }, businessHours),
        field("Inboxes", inboxSel, { name: "conditions.inboxIds", hint: "None selected: any inbox." }),
        field("Teams", teamSel, { name: "conditions.teamIds", hint: "None selected: any team." }),
        field("Priorities", prioritySel, { name: "conditions.priorities", hint: "None selected: any priority." }),
        field("Labels", labels, { name: "conditions.labels", hint: "Any of these, comma-separated; empty: any." }),
        active ? h("div", { class: "af af-wide" }, active) : null,
      ),
      submit: p ? "Save changes" : "Add policy",
      run: async () => {
        const checked = (l: HTMLLabelElement) => (l.querySelector("input") as HTMLInputElement).checked;
        const body = {
          name: name.value,
          position: Number(position.value || 100),
          firstResponseMinutes: first.value(),
          nextResponseMinutes: next.value(),
          resolutionMinutes: resolution.value(),
          businessHours: checked(businessHours),
          holidayCalendar: calendar.value || null,
          conditions: {
            inboxIds: picked(inboxSel),
            teamIds: picked(teamSel),
            priorities: picked(prioritySel),
            labels: labels.value
              .split(",")
              .map((l) => l.trim())
              .filter(Boolean),
          },
          ...(active ? { active: checked(active) } : {}),
        };
        if (p) await api.patch(`/sla-policies/${p.id}`, body);
        else await api.post("/sla-policies", body);
        toast(p ? "Policy updated" : "Policy added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const conditions = (p: SlaPolicy) => {
    const c = p.conditions;
    const parts = [
      ...c.inboxIds.map((id) => `inbox ${nameOf(inboxes.items, id)}`),
      ...c.teamIds.map((id) => `team ${nameOf(teams.items, id)}`),
      ...c.priorities.map((x) => `priority ${x}`),
      ...c.labels.map((x) => `label ${x}`),
    ];
    return parts.length ? parts.join(" · ") : h("span", { class: "muted" }, "Every conversation");
  };

  replace(
    s.body,
    pageHeader(
      "SLA policies",
      "Targets for the first response, each next response and the resolution. The first active policy (lowest order) whose conditions all match a conversation applies.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-sla-policy", onclick: () => edit(null) }, "New policy"),
    ),
    items.length
      ? table(
          [
            { label: "Order", cell: (p) => String(p.position), class: "col-num" },
            { label: "Policy", cell: (p) => h("span", null, p.name, p.active ? null : pill("retired", "neutral")) },
            { label: "First response", cell: (p) => minutesLabel(p.firstResponseMinutes) },
            { label: "Next response", cell: (p) => minutesLabel(p.nextResponseMinutes) },
            { label: "Resolution", cell: (p) => minutesLabel(p.resolutionMinutes) },
            {
              label: "Hours",
              cell: (p) =>
                p.businessHours ? `Business${p.holidayCalendar ? ` · ${p.holidayCalendar.toUpperCase()} holidays` : ""}` : "24/7",
            },
            { label: "Applies to", cell: conditions },
            { label: "", class: "col-actions", cell: (p) => rowActions(iconButton("edit", `Edit ${p.name}`, () => edit(p))) },
          ],
          items,
          (p) => ({ "data-id": p.id, class: p.active ? undefined : "muted" }),
        )
      : emptyState(
          "clock",
          "No SLA policies yet",
          "Add a policy such as “Standard: first response in 1 hour, resolution in 1 day” to measure every conversation.",
        ),
  );
}
