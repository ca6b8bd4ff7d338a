import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { toast } from "../../ui.ts";
import { SEGMENT_CHANNELS, type Segment, type SegmentCriteria } from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, rowActions, select, table, textarea } from "./kit.ts";
import { describeCriteria } from "../segmentText.ts";

type Flag = "vulnerable" | "openComplaint" | "npsDetractor" | "verified";
const FLAGS: Array<[Flag, string, string]> = [
  ["vulnerable", "Vulnerability flag", "Recorded with the customer's consent in the customer panel."],
  ["openComplaint", "Complaint running", "A complaint case of theirs that is not closed."],
  ["npsDetractor", "NPS detractor", "Their latest Net Promoter answer is 0–6."],
  ["verified", "Verified bank customer", "Signed in on the bank's site."],
];
const CHANNEL_NAMES: Record<(typeof SEGMENT_CHANNELS)[number], string> = {
  web: "Website",
  email: "E-mail",
  sms: "SMS",
  whatsapp: "WhatsApp",
  wechat: "WeChat",
  api: "Bank app (API)",
};
const multiple = (name: string, options: Array<[string, string]>, chosen: string[]) =>
  h(
    "select",
    { class: "select", multiple: true, name, size: options.length },
    options.map(([v, text]) => h("option", { value: v, selected: chosen.includes(v) }, text)),
  );

/**
 * Settings → Segments: saved filters on customers (the flag, complaints, NPS,
 * verification, channels, labels) that agents pick in the conversation list and the
 * reports' overview; each with how many customers it holds now.
 */
export async function segmentsSection(s: SectionContext): Promise<void> {
  const { items } = await api.get<{ items: Segment[] }>("/segments");
  if (!s.alive()) return;

  const edit = (g: Segment | null) => {
    const name = input({ name: "name", value: g?.name ?? "", maxlength: 80, placeholder: "Vulnerable with a complaint" });
    const description = textarea({ name: "description", maxlength: 500, rows: 2 });
    description.value = g?.description ?? "";
    const flags = FLAGS.map(([key, label, hint]) => {
      const v = g?.criteria[key];
      const el = select(
        [
          ["", "Any"],
          ["yes", "Yes"],
          ["no", "No"],
        ],
        v === undefined ? "" : v ? "yes" : "no",
        { name: key },
      );
      return { key, el, field: field(label, el, { name: `criteria.${key}`, hint }) };
    });
    const channels = multiple(
      "channels",
      SEGMENT_CHANNELS.map((c) => [c, CHANNEL_NAMES[c]]),
      g?.criteria.channels ?? [],
    );
    const labels = input({ name: "labels", value: (g?.criteria.labels ?? []).join(", "), placeholder: "mortgage, vip" });
    const attrKey = input({
      name: "attributeKey",
      value: g?.criteria.contactAttribute?.key ?? "",
      placeholder: "tier",
      "aria-label": "Attribute",
    });
    const attrValue = input({
      name: "attributeValue",
      value: g?.criteria.contactAttribute?.value ?? "",
      placeholder: "vip",
      "aria-label": "Value",
    });
    formModal({
      title: g ? `Edit “${g.name}”` : "New segment",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("Description", description, { name: "description", hint: "What the segment is for, for the agents who pick it." }),
        flags.map((f) => f.field),
        field("Wrote on", channels, { name: "criteria.channels", hint: "None selected: any channel." }),
        field("Labels", labels, { name: "criteria.labels", hint: "One of their conversations carries one of these (comma-separated)." }),
        field("Contact attribute", h("div", { class: "sla-target-input" }, attrKey, attrValue), {
          name: "criteria.contactAttribute",
          hint: "Equal to the value, e.g. tier = vip (as the bank's page or app sets it).",
        }),
      ),
      submit: g ? "Save changes" : "Add segment",
      run: async () => {
        const criteria: SegmentCriteria = {};
        for (const f of flags) if (f.el.value) criteria[f.key] = f.el.value === "yes";
        const chosen = [...channels.selectedOptions].map((o) => o.value as (typeof SEGMENT_CHANNELS)[number]);
        if (chosen.length) criteria.channels = chosen;
        const names = labels.value
          .split(",")
          .map((l) => l.trim())
          .filter(Boolean);
        if (names.length) criteria.labels = names;
        if (attrKey.value.trim()) criteria.contactAttribute = { key: attrKey.value.trim(), value: attrValue.value.trim() };
        const body = { name: name.value, description: description.value.trim() || null, criteria };
        if (g) await api.patch(`/segments/${g.id}`, body);
        else await api.post("/segments", body);
        toast(g ? "Segment updated" : "Segment added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };
  const remove = (g: Segment) =>
    confirmAction({
      title: `Delete “${g.name}”?`,
      text: "Agents filtering by it go back to all conversations. The customers are not changed.",
      confirm: "Delete",
      danger: true,
      run: async () => {
        await api.del(`/segments/${g.id}`);
        s.reload();
      },
    });

  replace(
    s.body,
    pageHeader(
      "Customer segments",
      "Saved filters on customers — vulnerable, with a complaint running, NPS detractors, by channel or label. Agents pick them in the conversation list and the reports' overview.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-segment", onclick: () => edit(null) }, "New segment"),
    ),
    items.length
      ? table(
          [
            { label: "Segment", cell: (g) => h("span", { title: g.description ?? undefined }, g.name) },
            { label: "Customers are", cell: (g) => describeCriteria(g.criteria) },
            { label: "Customers", cell: (g) => h("span", { dataset: { segmentCount: String(g.contacts) } }, String(g.contacts)) },
            {
              label: "",
              class: "col-actions",
              cell: (g) =>
                rowActions(
                  iconButton("edit", `Edit ${g.name}`, () => edit(g)),
                  iconButton("trash", `Delete ${g.name}`, () => remove(g)),
                ),
            },
          ],
          items,
          (g) => ({ "data-id": g.id }),
        )
      : h("p", { class: "muted" }, "No segment yet. Add one such as “vulnerable customers with a complaint running”."),
  );
}
