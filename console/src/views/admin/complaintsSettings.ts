import { h } from "../../dom.ts";
import { field, input, select } from "./kit.ts";
import type { Channel, ComplaintCalendar, ComplaintLimit, ComplaintsSetting } from "./types.ts";

/**
 * The regulators' rules as agents know them; the numbers are the server's (server/cases/jurisdictions.ts).
 * Mainland China's regulator is the NFRA (国家金融监督管理总局) since 2023, not the CBIRC it replaced.
 */
const JURISDICTIONS: Array<[ComplaintsSetting["jurisdiction"], string, string]> = [
  [
    "cn",
    "Mainland China (NFRA)",
    "Acknowledge within 1 working day; final response within 15 working days, extendable to 30 and then 60 with a supervisor's approval.",
  ],
  [
    "uk",
    "United Kingdom (FCA DISP)",
    "Summary resolution by the 3rd business day; final response within 8 weeks (56 calendar days); no extension.",
  ],
  ["us", "United States (CFPB)", "Respond within 15 calendar days; close within 60 calendar days; no extension."],
  ["custom", "Custom policy", "Your own limits, calendar and description, below."],
];

const CALENDARS: Array<[ComplaintCalendar, string]> = [
  ["cn", "Mainland China (holidays and make-up working days)"],
  ["uk", "England & Wales (bank holidays)"],
  ["us", "United States (federal holidays)"],
];

const UNITS: Array<[ComplaintLimit["unit"], string]> = [
  ["business", "working days"],
  ["calendar", "calendar days"],
];

/** Where a custom policy starts when an inbox never had one: mainland China's numbers, the demo bank's. */
const CUSTOM_START: NonNullable<ComplaintsSetting["custom"]> = {
  calendar: "cn",
  acknowledge: { days: 1, unit: "business" },
  finalResponse: { days: 15, unit: "business" },
  extensions: [],
  rule: "",
};

const MAX_EXTENSIONS = 3;
const PATH = "settings.complaints";

/** A limit's days and unit, side by side; `name` prefixes the controls' names (tests and autofill). */
function limitControl(name: string, label: string, limit: ComplaintLimit) {
  const days = input({
    name: `${name}-days`,
    type: "number",
    min: 1,
    max: 365,
    step: 1,
    value: String(limit.days),
    class: "input input-days",
  });
  days.setAttribute("aria-label", `${label}: days`);
  const unit = select(UNITS, limit.unit, { name: `${name}-unit`, class: "select select-sm", "aria-label": `${label}: unit` });
  return {
    el: h("div", { class: "limit-control" }, days, unit),
    // An empty box is sent as 0 so the server says what is wrong, next to the field.
    value: (): ComplaintLimit => ({ days: days.value.trim() === "" ? 0 : Number(days.value), unit: unit.value as ComplaintLimit["unit"] }),
  };
}

/** A field with the kit's inline error box around any control (kit's `field` labels a single input). */
function group(label: string, path: string, control: HTMLElement, hint?: string): HTMLElement {
  return h(
    "div",
    { class: "af", dataset: { field: path } },
    h("div", { class: "af-label" }, label),
    control,
    hint ? h("div", { class: "af-hint" }, hint) : null,
    h("div", { class: "af-error", role: "alert", hidden: true }),
  );
}

/**
 * The inbox editor's complaint-case rules: the jurisdiction, a custom policy's limits
 * (as server/cases/jurisdictions.ts defines them) and, on e-mail inboxes, the
 * complaints address. Each control's field name is its path in the server's
 * validation errors, so they show next to it. `change()` is the setting to save, or
 * nothing when the admin did not touch the section (the audit log then records no
 * change nobody made, such as the default rules being written out).
 */
export function complaintsSettings(current: ComplaintsSetting, channel: Channel) {
  let touched = false;
  const jurisdiction = select(
    JURISDICTIONS.map(([id, label]) => [id, label]),
    current.jurisdiction,
    { name: "complaints-jurisdiction" },
  );
  const rules = h("div", { class: "af-hint", dataset: { complaintsRules: "" } });
  const custom = current.custom ?? CUSTOM_START;
  const calendar = select(CALENDARS, custom.calendar, { name: "complaints-calendar" });

  const acknowledgeOn = h("input", { type: "checkbox", name: "complaints-acknowledge-on", checked: custom.acknowledge !== null });
  const acknowledge = limitControl("complaints-acknowledge", "Acknowledge within", custom.acknowledge ?? { days: 1, unit: "business" });
  const syncAcknowledge = () =>
    acknowledge.el
      .querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")
      .forEach((c) => (c.disabled = !acknowledgeOn.checked));
  acknowledgeOn.addEventListener("change", syncAcknowledge);
  syncAcknowledge();

  const finalResponse = limitControl("complaints-finalResponse", "Final response within", custom.finalResponse);

  // Extensions: each a new total limit from receipt; a supervisor approves each on the case page.
  const extensionList = h("div", { class: "extension-list" });
  const extensions: Array<{ row: HTMLElement; value: () => ComplaintLimit }> = [];
  const addExtension = h("button", { type: "button", class: "link-btn", "data-action": "add-extension" }, "Add an extension");
  const drawExtensions = () => {
    extensionList.replaceChildren(
      ...extensions.map((e, i) => {
        e.row.dataset.field = `${PATH}.custom.extensions.${i}`;
        (e.row.querySelector(".extension-name") as HTMLElement).textContent = `Extension ${i + 1}: to`;
        return e.row;
      }),
    );
    addExtension.hidden = extensions.length >= MAX_EXTENSIONS;
  };
  const extensionRow = (limit: ComplaintLimit) => {
    const control = limitControl(`complaints-extension-${extensions.length}`, "Extension", limit);
    const entry = {
      row: h("div", { class: "af extension-row" }),
      value: control.value,
    };
    entry.row.append(
      h("span", { class: "extension-name" }),
      control.el,
      h("span", { class: "muted" }, "from receipt"),
      h(
        "button",
        {
          type: "button",
          class: "link-btn",
          "aria-label": "Remove this extension",
          onclick: () => {
            extensions.splice(extensions.indexOf(entry), 1);
            touched = true;
            drawExtensions();
          },
        },
        "Remove",
      ),
      h("div", { class: "af-error", role: "alert", hidden: true }),
    );
    extensions.push(entry);
  };
  for (const e of custom.extensions) extensionRow(e);
  addExtension.addEventListener("click", () => {
    const last = extensions.length ? extensions[extensions.length - 1]!.value() : finalResponse.value();
    extensionRow({ days: Math.min(365, (last.days || 0) * 2 || 30), unit: last.unit });
    touched = true;
    drawExtensions();
  });
  drawExtensions();

  const rule = input({ name: "complaints-rule", value: custom.rule, maxlength: 500, placeholder: "Our complaints standard, section 4" });
  const address = input({
    name: "complaints-address",
    type: "email",
    value: current.address ?? "",
    maxlength: 254,
    placeholder: "complaints@bank.example",
  });

  const customBox = h(
    "div",
    { class: "complaints-custom af", dataset: { field: `${PATH}.custom` } },
    h("div", { class: "af-error", role: "alert", hidden: true }),
    h(
      "div",
      { class: "af-grid" },
      field("Business calendar", calendar, {
        name: `${PATH}.custom.calendar`,
        hint: "Which public holidays working days skip. Days count in the inbox's time zone.",
      }),
      field("Description shown to agents", rule, { name: `${PATH}.custom.rule` }),
    ),
    group(
      "Acknowledge within",
      `${PATH}.custom.acknowledge`,
      h("div", { class: "limit-line" }, h("label", { class: "case-check" }, acknowledgeOn, " Required"), acknowledge.el),
    ),
    group(
      "Final response within",
      `${PATH}.custom.finalResponse`,
      finalResponse.el,
      "Counted from the day after the complaint is received.",
    ),
    group(
      "Extensions",
      `${PATH}.custom.extensions`,
      h("div", null, extensionList, addExtension),
      "Each is a new total limit from receipt; a supervisor approves each on the case page, and the approval is recorded.",
    ),
  );

  const sync = () => {
    rules.textContent = JURISDICTIONS.find(([id]) => id === jurisdiction.value)?.[2] ?? "";
    customBox.hidden = jurisdiction.value !== "custom";
  };
  jurisdiction.addEventListener("change", sync);
  sync();

  const showAddress = channel === "email" || Boolean(current.address);
  const el = h(
    "div",
    { class: "complaints-settings" },
    h(
      "div",
      { class: "af", dataset: { field: `${PATH}.jurisdiction` } },
      h("label", { class: "af-label", for: "complaints-jurisdiction" }, "Jurisdiction"),
      jurisdiction,
      rules,
      h("div", { class: "af-error", role: "alert", hidden: true }),
    ),
    customBox,
    showAddress
      ? field("Complaints e-mail address", address, {
          name: `${PATH}.address`,
          hint: "Mail sent to it (To or Cc) opens a complaint case and goes to people at high priority. Empty: none.",
        })
      : null,
  );
  jurisdiction.id = "complaints-jurisdiction";
  el.addEventListener("input", () => (touched = true));
  el.addEventListener("change", () => (touched = true));

  const change = (): { complaints?: ComplaintsSetting } => {
    if (!touched) return {};
    const next: ComplaintsSetting = { jurisdiction: jurisdiction.value as ComplaintsSetting["jurisdiction"] };
    if (next.jurisdiction === "custom") {
      next.custom = {
        calendar: calendar.value as ComplaintCalendar,
        acknowledge: acknowledgeOn.checked ? acknowledge.value() : null,
        finalResponse: finalResponse.value(),
        extensions: extensions.map((e) => e.value()),
        rule: rule.value.trim(),
      };
    }
    if (showAddress && address.value.trim()) next.address = address.value.trim();
    return { complaints: next };
  };
  return { el, change };
}
