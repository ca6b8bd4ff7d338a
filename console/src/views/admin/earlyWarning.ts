import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { dateTime } from "../../format.ts";
import { emptyState, toast } from "../../ui.ts";
import {
  EARLY_WARNING_METRICS,
  type EarlyWarningAlert,
  type EarlyWarningAlertDetail,
  type EarlyWarningThreshold,
  type InboxRefList,
} from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, pill, rowActions, select, table, toggle } from "./kit.ts";
import { alertSummary, figure, METRIC_NAMES, scopeLabel, windowLabel } from "../earlyWarningText.ts";

/**
 * Settings → Early warning: the thresholds (metric, value, window, the inbox or the
 * whole organisation) and the alerts they raised; with an alert's id, that alert and
 * the conversations behind it.
 */
export async function earlyWarningSection(s: SectionContext): Promise<void> {
  if (s.id) return alertDetail(s, s.id);
  const [thresholds, alerts, inboxes] = await Promise.all([
    api.get<{ items: EarlyWarningThreshold[] }>("/early-warning/thresholds"),
    api.get<{ items: EarlyWarningAlert[] }>("/early-warning/alerts", { state: "all" }),
    api.get<InboxRefList>("/inboxes"),
  ]);
  if (!s.alive()) return;

  const edit = (t: EarlyWarningThreshold | null) => {
    const name = input({ name: "name", value: t?.name ?? "", maxlength: 120, placeholder: "Fee complaints today" });
    const metric = select(
      EARLY_WARNING_METRICS.map((m) => [m, METRIC_NAMES[m]]),
      t?.metric ?? "complaints_per_category",
      { name: "metric", disabled: Boolean(t) },
    );
    // Fixed once made, as the metric: a threshold for another inbox is another threshold.
    const inbox = select(
      [["", "All inboxes (the organisation's)"], ...inboxes.items.map((i): [string, string] => [i.id, i.name])],
      t?.inboxId ?? "",
      {
        name: "inboxId",
        disabled: Boolean(t),
      },
    );
    const share = () => metric.value === "negative_share";
    const value = input({
      name: "threshold",
      type: "number",
      min: 0,
      step: "any",
      value: t ? String(share() ? t.threshold * 100 : t.threshold) : "",
      placeholder: "5",
    });
    const windowMinutes = input({ name: "windowMinutes", type: "number", min: 5, max: 43200, value: String(t?.windowMinutes ?? 1440) });
    const minConversations = input({ name: "minConversations", type: "number", min: 1, value: String(t?.minConversations ?? 10) });
    const active = t ? toggle("Active", t.active, "Switched off, it raises nothing and its open alerts close.", { name: "active" }) : null;
    formModal({
      title: t ? `Edit “${t.name}”` : "New threshold",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("Metric", metric, { name: "metric", hint: "Complaints count per category; a question counts per wording." }),
        field("Inbox", inbox, {
          name: "inboxId",
          hint: "An inbox's own thresholds replace the organisation's of the same metric there; the other inboxes keep the organisation's.",
        }),
        field("Alert at", value, { name: "threshold", hint: "A count; for the share of negative conversations a percentage (30 = 30 %)." }),
        field("Window (minutes)", windowMinutes, { name: "windowMinutes", hint: "1440 = the last 24 hours." }),
        field("Fewest conversations", minConversations, {
          name: "minConversations",
          hint: "Share of negative conversations only: with fewer in the window it decides nothing.",
        }),
        active ? h("div", { class: "af af-wide" }, active) : null,
      ),
      submit: t ? "Save changes" : "Add threshold",
      run: async () => {
        const n = Number(value.value);
        const body = {
          name: name.value,
          threshold: share() ? n / 100 : n,
          windowMinutes: Number(windowMinutes.value),
          minConversations: Number(minConversations.value),
          ...(active ? { active: (active.querySelector("input") as HTMLInputElement).checked } : {}),
        };
        if (t) await api.patch(`/early-warning/thresholds/${t.id}`, body);
        else await api.post("/early-warning/thresholds", { ...body, metric: metric.value, inboxId: inbox.value || null });
        toast(t ? "Threshold updated" : "Threshold added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };
  const remove = (t: EarlyWarningThreshold) =>
    confirmAction({
      title: `Delete “${t.name}”?`,
      text: "Its alerts go with it. To keep them, switch the threshold off instead.",
      confirm: "Delete",
      danger: true,
      run: async () => {
        await api.del(`/early-warning/thresholds/${t.id}`);
        s.reload();
      },
    });

  replace(
    s.body,
    pageHeader(
      "Early warning",
      "Thresholds on complaints, customer mood, SLA breaches and unanswered questions, for the whole organisation or one inbox. Crossing one raises an alert here, in a banner for admins, and by webhook (early_warning.alert_raised) — once, until the figure falls back.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-threshold", onclick: () => edit(null) }, "New threshold"),
    ),
    thresholds.items.length
      ? table(
          [
            { label: "Threshold", cell: (t) => h("span", null, t.name, t.active ? null : pill("off", "neutral")) },
            { label: "Metric", cell: (t) => METRIC_NAMES[t.metric] },
            {
              label: "Inbox",
              cell: (t) => h("span", { class: t.inboxId ? undefined : "muted", "data-inbox": t.inboxId ?? "" }, scopeLabel(t)),
            },
            { label: "Alert at", cell: (t) => `${figure(t.metric, t.threshold)} in ${windowLabel(t.windowMinutes)}` },
            {
              label: "",
              class: "col-actions",
              cell: (t) =>
                rowActions(
                  iconButton("edit", `Edit ${t.name}`, () => edit(t)),
                  iconButton("trash", `Delete ${t.name}`, () => remove(t)),
                ),
            },
          ],
          thresholds.items,
          (t) => ({ "data-id": t.id, class: t.active ? undefined : "muted" }),
        )
      : emptyState("alert", "No thresholds yet", "Add one such as “5 fee complaints in a day” to be told when it happens."),
    h("h2", { class: "admin-subhead" }, "Alerts"),
    alerts.items.length
      ? table(
          [
            { label: "Raised", cell: (a) => dateTime(a.raisedAt) },
            { label: "Threshold", cell: (a) => a.thresholdName },
            { label: "Inbox", cell: (a) => scopeLabel(a) },
            { label: "What", cell: (a) => alertSummary(a) },
            {
              label: "State",
              cell: (a) =>
                a.recoveredAt
                  ? pill(`recovered ${dateTime(a.recoveredAt)}`, "green")
                  : pill(a.acknowledgedAt ? "open · seen" : "open", "red"),
            },
            {
              label: "",
              cell: (a) =>
                h(
                  "a",
                  {
                    href: `/console/admin/early-warning/${a.id}`,
                    "data-alert-link": a.id,
                    onclick: (e: Event) => (e.preventDefault(), s.page.navigate("early-warning", a.id)),
                  },
                  `${a.conversationIds.length} conversation${a.conversationIds.length === 1 ? "" : "s"}`,
                ),
            },
          ],
          alerts.items,
          (a) => ({ "data-alert": a.id }),
        )
      : h("p", { class: "muted" }, "No alert has been raised."),
  );
}

/** One alert and the conversations behind it, each a link into the inbox. */
async function alertDetail(s: SectionContext, id: string): Promise<void> {
  const { alert, conversations } = await api.get<EarlyWarningAlertDetail>(`/early-warning/alerts/${id}`);
  if (!s.alive()) return;
  const acknowledge = async () => {
    await api.post(`/early-warning/alerts/${alert.id}/acknowledge`, {});
    s.reload();
  };
  replace(
    s.body,
    pageHeader(
      alert.thresholdName,
      `${scopeLabel(alert)} · ${alertSummary(alert)} · raised ${dateTime(alert.raisedAt)}${alert.recoveredAt ? ` · recovered ${dateTime(alert.recoveredAt)}` : ""}`,
      alert.acknowledgedAt || alert.recoveredAt
        ? null
        : h(
            "button",
            { type: "button", class: "btn btn-secondary", "data-action": "acknowledge", onclick: () => void acknowledge() },
            "Mark as seen",
          ),
    ),
    h(
      "p",
      null,
      h(
        "a",
        { href: "/console/admin/early-warning", onclick: (e: Event) => (e.preventDefault(), s.page.navigate("early-warning")) },
        "← All alerts",
      ),
    ),
    conversations.length
      ? table(
          [
            {
              label: "Conversation",
              cell: (c) => h("a", { href: `/console/all/${c.id}`, "data-conversation-link": c.id }, `#${c.displayId}`),
            },
            { label: "Customer", cell: (c) => c.contact?.name ?? "Unnamed customer" },
            { label: "Status", cell: (c) => c.status },
            { label: "Last activity", cell: (c) => dateTime(c.lastActivityAt) },
          ],
          conversations,
          (c) => ({ "data-id": c.id }),
        )
      : emptyState("inbox", "No conversations", "The conversations behind this alert were deleted since."),
  );
}
