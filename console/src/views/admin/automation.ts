import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, toast } from "../../ui.ts";
import { routePath } from "../../routes.ts";
import type {
  AutomationAction,
  AutomationConditions,
  AutomationEvent,
  AutomationRule,
  AutomationRun,
  CannedResponse,
  InboxRefList,
  Segment,
} from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, pill, rowActions, select, table, toggle } from "./kit.ts";

const EVENTS: Array<[AutomationEvent, string]> = [
  ["conversation_created", "Conversation created"],
  ["customer_message_created", "Customer message received"],
  ["conversation_status_changed", "Status changed"],
  ["conversation_updated", "Priority, labels, team or assignee changed"],
  ["sentiment_negative", "Sentiment turned negative"],
  ["sla_near_breach", "SLA target near its breach"],
  ["sla_breach", "SLA target breached"],
  ["no_reply", "No reply to the customer for N hours"],
];
const PRIORITIES: Array<[string, string]> = [
  ["urgent", "Urgent"],
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
  ["none", "No priority"],
];
const CHANNELS: Array<[string, string]> = ["web", "email", "sms", "whatsapp", "wechat", "api"].map((c) => [c, c]);
const STATUSES: Array<[string, string]> = [
  ["open", "Open"],
  ["pending", "Pending (bot)"],
  ["snoozed", "Snoozed"],
  ["resolved", "Resolved"],
];
const ACTION_TYPES: Array<[AutomationAction["type"], string]> = [
  ["set_priority", "Set priority"],
  ["assign_team", "Assign a team"],
  ["assign_agent", "Assign an agent"],
  ["add_label", "Add a label"],
  ["add_private_note", "Add a private note"],
  ["change_status", "Change status"],
  ["send_canned_reply", "Send a canned reply"],
  ["send_webhook_event", "Send a webhook event"],
];

function multiSelect(name: string, options: Array<[string, string]>, chosen: string[] | undefined) {
  return h(
    "select",
    { class: "select", multiple: true, name, size: Math.min(5, Math.max(2, options.length)) },
    options.map(([v, text]) => h("option", { value: v, selected: (chosen ?? []).includes(v) }, text)),
  );
}
const picked = (s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value);
const words = (v: string) =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

type Named = Array<{ id: string; name: string }>;

/** One action of the form: its kind, and the control for its value (which changes with the kind). */
function actionRow(
  a: AutomationAction | null,
  lists: { teams: Named; agents: Named; canned: CannedResponse[] },
  remove: (row: HTMLElement) => void,
) {
  const kind = select(ACTION_TYPES, a?.type ?? "set_priority", { name: "actionType", "aria-label": "Action" });
  const slot = h("div", { class: "automation-action-value" });
  let read: () => Record<string, unknown> = () => ({});
  const draw = () => {
    const type = kind.value as AutomationAction["type"];
    const same = a?.type === type ? (a as Record<string, unknown>) : {};
    const pick = (name: string, options: Array<[string, string]>, value: unknown) => {
      const s = select(options, String(value ?? options[0]?.[0] ?? ""), { name, "aria-label": name });
      read = () => ({ [name]: s.value });
      replace(slot, s);
    };
    if (type === "set_priority") pick("priority", PRIORITIES, same.priority);
    else if (type === "assign_team")
      pick(
        "teamId",
        lists.teams.map((t) => [t.id, t.name]),
        same.teamId,
      );
    else if (type === "assign_agent")
      pick(
        "agentId",
        lists.agents.map((x) => [x.id, x.name]),
        same.agentId,
      );
    else if (type === "send_canned_reply")
      pick(
        "cannedResponseId",
        lists.canned.map((c) => [c.id, `/${c.shortCode}`]),
        same.cannedResponseId,
      );
    else if (type === "change_status") {
      const s = select(STATUSES, String(same.status ?? "open"), { name: "status", "aria-label": "status" });
      const minutes = input({
        name: "snoozeMinutes",
        type: "number",
        min: 1,
        value: String(same.snoozeMinutes ?? 60),
        "aria-label": "Snooze minutes",
      });
      const sync = () => (minutes.hidden = s.value !== "snoozed");
      s.addEventListener("change", sync);
      sync();
      read = () => (s.value === "snoozed" ? { status: s.value, snoozeMinutes: Number(minutes.value) } : { status: s.value });
      replace(slot, s, minutes);
    } else if (type === "add_label" || type === "add_private_note") {
      const key = type === "add_label" ? "label" : "content";
      const text = input({ name: key, value: String(same[key] ?? ""), "aria-label": key, maxlength: type === "add_label" ? 50 : 2000 });
      read = () => ({ [key]: text.value });
      replace(slot, text);
    } else {
      read = () => ({});
      replace(slot, h("span", { class: "muted" }, "conversation.automation_fired"));
    }
  };
  kind.addEventListener("change", draw);
  draw();
  const row: HTMLElement = h(
    "div",
    { class: "automation-action", dataset: { action: "" } },
    kind,
    slot,
    iconButton("trash", "Remove action", () => remove(row)),
  );
  return { row, value: (): AutomationAction => ({ type: kind.value, ...read() }) as AutomationAction };
}

/** Settings → Automation: rules (on an event, when every condition holds, do the actions) and their latest runs. */
export async function automationSection(s: SectionContext): Promise<void> {
  const [{ items }, runs, inboxes, people, canned, segments] = await Promise.all([
    api.get<{ items: AutomationRule[] }>("/admin/automation-rules"),
    api.get<{ items: AutomationRun[] }>("/admin/automation-runs?limit=30"),
    api.get<InboxRefList>("/inboxes"),
    s.page.loadPeople(),
    api.get<{ items: CannedResponse[] }>("/canned-responses"),
    api.get<{ items: Segment[] }>("/segments"),
  ]);
  if (!s.alive()) return;
  const lists = { teams: people.teams, agents: people.agents.filter((a) => a.role !== "content"), canned: canned.items };
  const eventLabel = (e: string) => EVENTS.find(([v]) => v === e)?.[1] ?? e;

  const edit = (r: AutomationRule | null) => {
    const c: AutomationConditions = r?.conditions ?? {};
    const name = input({ name: "name", value: r?.name ?? "", maxlength: 80, placeholder: "Unhappy VIP to seniors" });
    const event = select(EVENTS, r?.event ?? "customer_message_created", { name: "event" });
    const hours = input({
      name: "noReplyHours",
      type: "number",
      min: 0.05,
      step: 0.25,
      value: r?.noReplyHours ? String(r.noReplyHours) : "4",
    });
    const hoursField = field("Hours without a reply", hours, {
      name: "noReplyHours",
      hint: "Since the customer's message, with no agent reply.",
    });
    const syncHours = () => (hoursField.hidden = event.value !== "no_reply");
    event.addEventListener("change", syncHours);
    syncHours();
    const inboxSel = multiSelect(
      "inboxIds",
      inboxes.items.map((i) => [i.id, i.name]),
      c.inboxIds,
    );
    const channelSel = multiSelect("channels", CHANNELS, c.channels);
    const segmentSel = multiSelect(
      "segmentIds",
      segments.items.map((g) => [g.id, g.name]),
      c.segmentIds,
    );
    const prioritySel = multiSelect("priorities", PRIORITIES, c.priorities);
    const statusSel = multiSelect("statuses", STATUSES, c.statuses);
    const labels = input({ name: "labels", value: (c.labels ?? []).join(", "), placeholder: "cards" });
    const keywords = input({ name: "keywords", value: (c.keywords ?? []).join(", "), placeholder: "fraud, stolen" });
    const attrKey = input({ name: "attributeKey", value: c.contactAttribute?.key ?? "", placeholder: "tier", "aria-label": "Attribute" });
    const attrValue = input({ name: "attributeValue", value: c.contactAttribute?.value ?? "", placeholder: "vip", "aria-label": "Value" });
    const either = (v: boolean | undefined) => (v === undefined ? "" : v ? "yes" : "no");
    const vulnerable = select(
      [
        ["", "Any"],
        ["yes", "Flagged vulnerable"],
        ["no", "Not flagged"],
      ],
      either(c.vulnerable),
      { name: "vulnerable" },
    );
    const sentiment = select(
      [
        ["", "Any"],
        ["yes", "Negative"],
        ["no", "Not negative"],
      ],
      either(c.sentimentNegative),
      { name: "sentimentNegative" },
    );
    const hoursSel = select(
      [
        ["", "Any time"],
        ["within", "Within working hours"],
        ["outside", "Outside working hours"],
      ],
      c.businessHours ?? "",
      { name: "businessHours" },
    );
    const actionList = h("div", { class: "automation-actions" });
    const rows: Array<ReturnType<typeof actionRow>> = [];
    const addAction = (a: AutomationAction | null) => {
      const row = actionRow(a, lists, (el) => {
        const i = rows.findIndex((x) => x.row === el);
        if (i >= 0) rows.splice(i, 1);
        el.remove();
      });
      rows.push(row);
      actionList.append(row.row);
    };
    for (const a of r?.actions ?? [{ type: "set_priority", priority: "high" } as AutomationAction]) addAction(a);
    const active = toggle("Active", r?.active ?? true, "Paused rules do nothing.", { name: "active" });

    formModal({
      title: r ? `Edit “${r.name}”` : "New automation rule",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("When", event, { name: "event" }),
        hoursField,
        h("h3", { class: "af af-wide af-section" }, "If all of these hold (empty: any)"),
        field("Inboxes", inboxSel, { name: "conditions.inboxIds" }),
        field("Channels", channelSel, { name: "conditions.channels" }),
        field("Priorities", prioritySel, { name: "conditions.priorities" }),
        field("Statuses", statusSel, { name: "conditions.statuses" }),
        field("Labels present", labels, { name: "conditions.labels", hint: "Every one listed, comma-separated." }),
        field("Message contains", keywords, { name: "conditions.keywords", hint: "Any of these words, comma-separated." }),
        field("Contact attribute", h("div", { class: "sla-target-input" }, attrKey, attrValue), {
          name: "conditions.contactAttribute",
          hint: "Equal to the value, e.g. tier = vip.",
        }),
        field("Vulnerability flag", vulnerable, { name: "conditions.vulnerable" }),
        field("Sentiment", sentiment, { name: "conditions.sentimentNegative" }),
        field("Working hours", hoursSel, { name: "conditions.businessHours" }),
        field("Customer segments", segmentSel, {
          name: "conditions.segmentIds",
          hint: "The customer is in any of these (Settings → Segments).",
        }),
        h("h3", { class: "af af-wide af-section" }, "Then, in order"),
        h(
          "div",
          { class: "af af-wide", dataset: { field: "actions" } },
          actionList,
          h(
            "button",
            { type: "button", class: "btn btn-secondary", "data-action": "add-action", onclick: () => addAction(null) },
            "Add action",
          ),
        ),
        h("div", { class: "af af-wide" }, active),
      ),
      submit: r ? "Save changes" : "Add rule",
      run: async () => {
        const yesNo = (v: string) => (v === "" ? undefined : v === "yes");
        const list = <T>(v: T[]) => (v.length ? v : undefined);
        const conditions: AutomationConditions = {
          inboxIds: list(picked(inboxSel)),
          channels: list(picked(channelSel)) as AutomationConditions["channels"],
          priorities: list(picked(prioritySel)) as AutomationConditions["priorities"],
          statuses: list(picked(statusSel)) as AutomationConditions["statuses"],
          labels: list(words(labels.value)),
          keywords: list(words(keywords.value)),
          contactAttribute: attrKey.value.trim() ? { key: attrKey.value.trim(), value: attrValue.value } : undefined,
          vulnerable: yesNo(vulnerable.value),
          sentimentNegative: yesNo(sentiment.value),
          businessHours: (hoursSel.value || undefined) as AutomationConditions["businessHours"],
          segmentIds: list(picked(segmentSel)),
        };
        const body = {
          name: name.value,
          event: event.value,
          noReplyHours: event.value === "no_reply" ? Number(hours.value) : null,
          // JSON drops the conditions left at "any".
          conditions: JSON.parse(JSON.stringify(conditions)) as AutomationConditions,
          actions: rows.map((x) => x.value()),
          active: (active.querySelector("input") as HTMLInputElement).checked,
        };
        if (r) await api.patch(`/admin/automation-rules/${r.id}`, body);
        else await api.post("/admin/automation-rules", body);
        toast(r ? "Rule updated" : "Rule added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const remove = (r: AutomationRule) =>
    confirmAction({
      title: `Delete “${r.name}”?`,
      text: "The rule stops at once. Its past runs stay listed below.",
      confirm: "Delete rule",
      danger: true,
      run: async () => {
        await api.del(`/admin/automation-rules/${r.id}`);
        toast("Rule deleted", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  const conversationLink = (run: AutomationRun) =>
    run.conversationId
      ? h("a", { href: routePath({ page: "inbox", view: "all", id: run.conversationId }) }, `#${run.displayId ?? "?"}`)
      : h("span", { class: "muted" }, "(deleted)");

  replace(
    s.body,
    pageHeader(
      "Automation",
      "Rules that act on conversations by themselves: when an event happens and every condition holds, the actions run in order, as the system. A rule's own changes never trigger it again.",
      h(
        "button",
        { type: "button", class: "btn btn-primary", "data-action": "new-automation-rule", onclick: () => edit(null) },
        "New rule",
      ),
    ),
    items.length
      ? table(
          [
            { label: "Rule", cell: (r) => h("span", null, r.name, r.active ? null : pill("paused", "neutral")) },
            { label: "When", cell: (r) => (r.event === "no_reply" ? `No reply for ${r.noReplyHours} h` : eventLabel(r.event)) },
            { label: "Actions", cell: (r) => r.actions.map((a) => ACTION_TYPES.find(([t]) => t === a.type)?.[1] ?? a.type).join(", ") },
            {
              label: "",
              class: "col-actions",
              cell: (r) =>
                rowActions(
                  iconButton("edit", `Edit ${r.name}`, () => edit(r)),
                  iconButton("trash", `Delete ${r.name}`, () => remove(r)),
                ),
            },
          ],
          items,
          (r) => ({ "data-id": r.id, class: r.active ? undefined : "muted" }),
        )
      : emptyState("zap", "No automation rules yet", "Add a rule such as “negative sentiment from a VIP → priority high, senior team”."),
    h("h2", { class: "admin-subtitle" }, "Latest runs"),
    runs.items.length
      ? table(
          [
            { label: "When", cell: (run) => new Date(run.createdAt).toLocaleString() },
            { label: "Rule", cell: (run) => run.ruleName },
            { label: "Conversation", cell: conversationLink },
            { label: "Event", cell: (run) => eventLabel(run.event) },
            { label: "Done", cell: (run) => run.actionsTaken.join(", ") || "—" },
            { label: "Failed", cell: (run) => (run.error ? h("span", { class: "text-danger" }, run.error) : "—") },
          ],
          runs.items,
          (run) => ({ "data-run": run.id }),
        )
      : h("p", { class: "muted", "data-empty": "runs" }, "No rule has run yet."),
  );
}
