import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { dateTime } from "../../format.ts";
import { icon } from "../../icons.ts";
import { emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { complaintsSettings } from "./complaintsSettings.ts";
import type { InboxWithSecret } from "../../../../shared/wire/index.ts";
import {
  confirmAction,
  field,
  formError,
  formModal,
  input,
  pageHeader,
  pill,
  secretBox,
  select,
  submitting,
  table,
  textarea,
  toggle,
} from "./kit.ts";
import {
  CHANNELS,
  type AdminInbox,
  type AdminTeam,
  type PreChatFieldName,
  type PreChatForm,
  type StepUpRequirement,
  type StepUpSettings,
  type Weekday,
  type WorkingHours,
} from "./types.ts";

/** Monday first, as bank staff read a week; the API numbers days from Sunday = 0. */
const WEEK: Array<[Weekday, string, string]> = [
  ["1", "Monday", "Mon"],
  ["2", "Tuesday", "Tue"],
  ["3", "Wednesday", "Wed"],
  ["4", "Thursday", "Thu"],
  ["5", "Friday", "Fri"],
  ["6", "Saturday", "Sat"],
  ["0", "Sunday", "Sun"],
];

function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = new Set(intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : []);
  zones.add("UTC");
  zones.add(current);
  return [...zones].sort();
}

/** "Mon–Fri 09:00–17:30, Sat 10:00–14:00" from working hours; "Always open" without. */
export function hoursSummary(hours: WorkingHours | null): string {
  if (!hours) return "Always open";
  const runs: Array<{ from: string; to: string; range: string }> = [];
  for (const [day, , short] of WEEK) {
    const d = hours[day];
    const range = d ? `${d.open}–${d.close}` : "";
    const last = runs[runs.length - 1];
    if (last && last.range === range) last.to = short;
    else runs.push({ from: short, to: short, range });
  }
  const open = runs.filter((r) => r.range);
  if (!open.length) return "Closed every day";
  return open.map((r) => `${r.from === r.to ? r.from : `${r.from}–${r.to}`} ${r.range}`).join(", ");
}

const channelLabel = (c: string) => CHANNELS.find(([v]) => v === c)?.[1] ?? c;

export async function inboxesSection(s: SectionContext): Promise<void> {
  if (s.id) return inboxEditor(s, s.id);
  const [{ items }, teams] = await Promise.all([
    api.get<{ items: AdminInbox[] }>("/admin/inboxes"),
    api.get<{ items: AdminTeam[] }>("/admin/teams"),
  ]);
  if (!s.alive()) return;
  const teamName = new Map(teams.items.map((t) => [t.id, t.name]));

  const create = () => {
    const name = input({ name: "name", maxlength: 100, placeholder: "Mobile banking app" });
    const slug = input({ name: "slug", maxlength: 40, placeholder: "mobile-app", class: "input mono" });
    const channel = select(CHANNELS, "web", { name: "channel" });
    const team = select([["", "No team"], ...teams.items.map((t): [string, string] => [t.id, t.name])], "", { name: "defaultTeamId" });
    name.addEventListener("input", () => {
      if (slug.dataset.touched) return;
      slug.value = name.value
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 40);
    });
    slug.addEventListener("input", () => (slug.dataset.touched = "1"));
    formModal({
      title: "New inbox",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name", hint: "Agents see it on each conversation." }),
        field("Identifier", slug, { name: "slug", hint: "Used in the widget snippet: BankDesk('boot', { inbox: '…' })." }),
        field("Channel", channel, { name: "channel" }),
        field("Route conversations to", team, { name: "defaultTeamId" }),
      ),
      submit: "Create inbox",
      run: async () => {
        const r = await api.post<InboxWithSecret>("/admin/inboxes", {
          name: name.value,
          slug: slug.value.trim(),
          channel: channel.value,
          defaultTeamId: team.value || null,
          settings: { timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" },
        });
        s.reload();
        return h(
          "div",
          null,
          h(
            "p",
            { class: "modal-text" },
            h("strong", null, r.inbox.name),
            " is ready. Your web servers sign each customer's id with this secret (HMAC-SHA256) to verify them.",
          ),
          secretBox(
            "Identity secret",
            r.identitySecret,
            "Shown once. Store it in your servers' secret manager; rotate it from the inbox's settings if it leaks.",
          ),
        );
      },
    });
  };

  replace(
    s.body,
    pageHeader(
      "Inboxes",
      "The ways customers reach the bank, their greeting, hours and rules.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-inbox", onclick: create }, "New inbox"),
    ),
    items.length
      ? table(
          [
            {
              label: "Inbox",
              cell: (i) =>
                h(
                  "a",
                  {
                    href: `/console/admin/inboxes/${i.id}`,
                    class: "row-link",
                    onclick: (e: MouseEvent) => {
                      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
                      e.preventDefault();
                      s.page.navigate("inboxes", i.id);
                    },
                  },
                  h("div", { class: "person-name" }, i.name),
                  h("div", { class: "person-sub mono" }, i.slug),
                ),
            },
            { label: "Channel", cell: (i) => channelLabel(i.channel) },
            {
              label: "Working hours",
              cell: (i) =>
                h(
                  "div",
                  null,
                  h("div", null, hoursSummary(i.settings.workingHours)),
                  h("div", { class: "person-sub" }, i.settings.timezone),
                ),
            },
            {
              label: "Routed to",
              cell: (i) => (i.defaultTeamId ? (teamName.get(i.defaultTeamId) ?? "—") : h("span", { class: "muted" }, "No team")),
            },
            {
              label: "Rules",
              cell: (i) =>
                h(
                  "div",
                  { class: "pills" },
                  i.settings.requireVerification ? pill("Verified only", "violet", "shield") : null,
                  i.settings.csatEnabled ? pill("CSAT", "green") : pill("No CSAT", "neutral"),
                  i.settings.botEnabled ? pill("Assistant", "brand", "sparkle") : null,
                ),
            },
          ],
          items,
          (i) => ({ "data-id": i.id, "data-slug": i.slug, class: "row-clickable" }),
        )
      : emptyState("inbox", "No inboxes yet"),
  );
}

async function inboxEditor(s: SectionContext, id: string): Promise<void> {
  const [inbox, teams] = await Promise.all([api.get<AdminInbox>(`/admin/inboxes/${id}`), api.get<{ items: AdminTeam[] }>("/admin/teams")]);
  if (!s.alive()) return;
  const st = inbox.settings;

  const name = input({ name: "name", value: inbox.name, maxlength: 100 });
  const channel = select(CHANNELS, inbox.channel, { name: "channel" });
  const team = select([["", "No team"], ...teams.items.map((t): [string, string] => [t.id, t.name])], inbox.defaultTeamId ?? "", {
    name: "defaultTeamId",
  });
  const vulnerableTeam = select(
    [["", "The usual team"], ...teams.items.map((t): [string, string] => [t.id, t.name])],
    st.vulnerableCustomersTeamId ?? "",
    { name: "vulnerableCustomersTeamId" },
  );
  const greeting = textarea({ name: "greeting", value: st.greeting, maxlength: 500, rows: 3 });
  const bot = toggle("The assistant answers first", st.botEnabled, "Off: every new conversation goes straight to an agent.", {
    name: "botEnabled",
  });
  const csat = toggle("Ask for a satisfaction rating", st.csatEnabled, "After a conversation is resolved, the customer rates it 1–5.", {
    name: "csatEnabled",
  });
  const nps = toggle(
    "Ask how likely they are to recommend us (NPS)",
    st.npsEnabled ?? false,
    "After resolution, 0–10 and “why?”: in the chat window, or as a message on e-mail, SMS, WhatsApp and WeChat, where a reply with a number is the answer (WeChat and WhatsApp only while the customer wrote in the last 48 or 24 hours).",
    { name: "npsEnabled" },
  );
  const verify = toggle(
    "Only verified customers",
    st.requireVerification,
    "Anonymous visitors cannot start a chat; customers must be signed in on your site.",
    { name: "requireVerification" },
  );
  // Step-up verification: per risk level, the page identity alone or a one-time code too.
  const su = st.stepUp ?? {};
  const levelSelect = (level: "low" | "medium" | "high") =>
    select(
      [
        ["identity", "Signed page identity"],
        ["code", "Identity and a one-time code"],
      ],
      su[level] ?? "identity",
      { name: `stepup-${level}` },
    );
  const stepLow = levelSelect("low");
  const stepMedium = levelSelect("medium");
  const stepHigh = levelSelect("high");
  const stepChannel = select(
    [
      ["", "Not set"],
      ["sms", "SMS to the registered phone"],
      ["email", "E-mail to the registered address"],
      // The demo's on-screen phone is offered only where it is already set (the seeded demo inbox).
      ...(su.channel === "demo_phone" ? [["demo_phone", "The demo page's phone (demo only)"] as [string, string]] : []),
    ],
    su.channel ?? "",
    { name: "stepup-channel" },
  );
  const stepSmsInbox = input({ name: "stepup-smsInbox", value: su.smsInbox ?? "", maxlength: 63, placeholder: "sms" });
  const stepMinutes = input({ name: "stepup-validMinutes", type: "number", min: 1, max: 60, value: String(su.validMinutes ?? 10) });
  const stepUpChange = () => ({
    stepUp: {
      low: stepLow.value as StepUpRequirement,
      medium: stepMedium.value as StepUpRequirement,
      high: stepHigh.value as StepUpRequirement,
      ...(stepChannel.value ? { channel: stepChannel.value as NonNullable<StepUpSettings["channel"]> } : {}),
      ...(stepChannel.value === "sms" && stepSmsInbox.value.trim() ? { smsInbox: stepSmsInbox.value.trim() } : {}),
      validMinutes: Number(stepMinutes.value),
    },
  });
  // The pre-chat form: the legacy list of optional fields reads as a form with those fields.
  const form0: PreChatForm = st.preChatForm ?? {
    enabled: st.preChatFields.length > 0,
    fields: st.preChatFields.map((name) => ({ name, required: false })),
  };
  const preChat = toggle("Ask anonymous visitors before they chat", form0.enabled, "Verified customers are never asked.", {
    name: "preChatEnabled",
  });
  const preChatFields: Array<[PreChatFieldName, string]> = [
    ["name", "Name"],
    ["email", "E-mail"],
    ["phone", "Phone"],
  ];
  const preChatSelects = preChatFields.map(([fieldName, label]) => {
    const f = form0.fields.find((x) => x.name === fieldName);
    const sel = select(
      [
        ["off", "Don't ask"],
        ["optional", "Optional"],
        ["required", "Required"],
      ],
      f ? (f.required ? "required" : "optional") : "off",
      { name: `prechat-${fieldName}`, class: "select select-sm", "aria-label": `${label} in the pre-chat form` },
    );
    return { fieldName, label, sel };
  });
  const preChatBox = h(
    "div",
    { class: "prechat" },
    preChatSelects.map((p) => h("label", { class: "prechat-field" }, h("span", null, p.label), p.sel)),
  );
  const preChatInput = preChat.querySelector("input")!;
  const preChatField = h(
    "div",
    { class: "af", dataset: { field: "settings.preChatForm" } },
    preChatBox,
    h("div", { class: "af-error", role: "alert", hidden: true }),
  );
  const syncPreChat = () => (preChatField.hidden = !preChatInput.checked);
  preChatInput.addEventListener("change", syncPreChat);
  syncPreChat();
  /** The pre-chat form to save, if the admin changed it (the legacy list stays as it was otherwise). */
  const preChatChange = (): { preChatForm?: PreChatForm } => {
    if (inbox.channel !== "web") return {};
    const next: PreChatForm = {
      enabled: preChatInput.checked,
      fields: preChatSelects.filter((p) => p.sel.value !== "off").map((p) => ({ name: p.fieldName, required: p.sel.value === "required" })),
    };
    return st.preChatForm || JSON.stringify(next) !== JSON.stringify(form0) ? { preChatForm: next } : {};
  };
  const origins = textarea({
    name: "allowedOrigins",
    value: st.allowedOrigins.join("\n"),
    rows: 3,
    placeholder: "https://www.bank.example",
    class: "input af-textarea mono",
  });
  const zone = select(
    timeZones(st.timezone).map((z): [string, string] => [z, z.replace(/_/g, " ")]),
    st.timezone,
    { name: "timezone" },
  );
  const limited = toggle("Limit to working hours", st.workingHours !== null, "Off: agents are expected around the clock.", {
    name: "limitHours",
  });
  const hours = st.workingHours ?? Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, { open: "09:00", close: "18:00" }]));

  const dayRows = WEEK.map(([day, label]) => {
    const d = hours[day];
    // 24-hour text, whatever the browser's locale (a time input would show AM/PM in some).
    const time = (name: string, value: string, aria: string) =>
      h("input", {
        type: "text",
        class: "input input-time",
        name,
        value,
        inputmode: "numeric",
        maxlength: 5,
        placeholder: "HH:MM",
        "aria-label": aria,
      });
    const open = time(`open-${day}`, d?.open ?? "09:00", `${label} opens`);
    const close = time(`close-${day}`, d?.close ?? "18:00", `${label} closes`);
    const on = h("input", { type: "checkbox", name: `day-${day}`, checked: Boolean(d), "aria-label": `Open on ${label}` });
    const row = h(
      "div",
      { class: `day-row${d ? "" : " closed"}`, dataset: { field: `settings.workingHours.${day}`, day } },
      h("label", { class: "day-name" }, on, h("span", null, label)),
      h("div", { class: "day-times" }, open, h("span", { class: "muted" }, "to"), close),
      h("span", { class: "day-closed muted" }, "Closed"),
      h("div", { class: "af-error", role: "alert", hidden: true }),
    );
    row.classList.add("af");
    const sync = () => {
      row.classList.toggle("closed", !on.checked);
      open.disabled = close.disabled = !on.checked;
    };
    on.addEventListener("change", sync);
    sync();
    return { day, row, on, open, close };
  });
  const week = h(
    "div",
    { class: "week" },
    dayRows.map((r) => r.row),
  );
  const copyWeekdays = h(
    "button",
    {
      type: "button",
      class: "link-btn",
      onclick: () => {
        const mon = dayRows[0]!;
        for (const r of dayRows.slice(1, 5)) {
          r.on.checked = mon.on.checked;
          r.open.value = mon.open.value;
          r.close.value = mon.close.value;
          r.on.dispatchEvent(new Event("change"));
        }
      },
    },
    "Copy Monday to Tuesday–Friday",
  );
  const hoursBox = h(
    "div",
    { class: "hours-box" },
    week,
    h("div", { class: "af-hint" }, "24-hour times; 24:00 closes at midnight. ", copyWeekdays),
  );
  const limitInput = limited.querySelector("input")!;
  const syncLimit = () => (hoursBox.hidden = !limitInput.checked);
  limitInput.addEventListener("change", syncLimit);
  syncLimit();

  const rotatedAt = h(
    "span",
    null,
    inbox.identitySecretRotatedAt
      ? `Last rotated ${dateTime(inbox.identitySecretRotatedAt)}.`
      : "Never rotated since the inbox was created.",
  );
  const secretSlot = h("div");
  const rotate = () =>
    confirmAction({
      title: "Rotate the identity secret?",
      text: "Customers signed with the old secret are refused from now on, so update your web servers right after. The new secret is shown once.",
      confirm: "Rotate secret",
      danger: true,
      run: async () => {
        const r = await api.post<InboxWithSecret>(`/admin/inboxes/${inbox.id}/identity-secret`);
        replace(rotatedAt, `Last rotated ${dateTime(r.inbox.identitySecretRotatedAt)}.`);
        replace(secretSlot, secretBox("New identity secret", r.identitySecret, "Shown once. Copy it to your servers' secret manager now."));
        toast("Identity secret rotated", { kind: "success", timeout: 2500 });
      },
    });

  // Retention is its own endpoint (audited on its own): saved after the inbox when it changed.
  const retentionDays = input({
    name: "days",
    type: "number",
    min: 1,
    max: 36500,
    placeholder: "Keep",
    value: inbox.retention.days === null ? "" : String(inbox.retention.days),
  });
  const retentionAction = select(
    [
      ["delete", "Delete the conversation"],
      ["anonymise", "Anonymise (keep figures for reports)"],
    ],
    inbox.retention.action,
    { name: "action" },
  );
  const retentionChange = () => {
    const days = retentionDays.value.trim() === "" ? null : Number(retentionDays.value);
    return days === inbox.retention.days && retentionAction.value === inbox.retention.action
      ? null
      : { days, action: retentionAction.value };
  };

  const complaints = complaintsSettings(st.complaints, inbox.channel);

  const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "save-inbox" }, "Save changes");
  const panel = (title: string, description: string, ...children: Array<HTMLElement | null>) =>
    h(
      "section",
      { class: "panel admin-panel" },
      h("div", { class: "panel-intro" }, h("h2", null, title), h("p", { class: "muted" }, description)),
      h("div", { class: "panel-fields" }, children),
    );

  const form: HTMLFormElement = h(
    "form",
    {
      class: "inbox-form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const workingHours: WorkingHours | null = limitInput.checked
          ? Object.fromEntries(
              dayRows.filter((r) => r.on.checked).map((r) => [r.day, { open: r.open.value.trim(), close: r.close.value.trim() }]),
            )
          : null;
        const ok = await submitting(form, save, async () => {
          await api.patch<AdminInbox>(`/admin/inboxes/${inbox.id}`, {
            name: name.value,
            channel: channel.value,
            defaultTeamId: team.value || null,
            settings: {
              vulnerableCustomersTeamId: vulnerableTeam.value || null,
              greeting: greeting.value,
              botEnabled: bot.querySelector("input")!.checked,
              csatEnabled: csat.querySelector("input")!.checked,
              // Left out while never set and still off: the audit log shows no change nobody made.
              ...(st.npsEnabled !== undefined || nps.querySelector("input")!.checked
                ? { npsEnabled: nps.querySelector("input")!.checked }
                : {}),
              requireVerification: verify.querySelector("input")!.checked,
              ...preChatChange(),
              ...(inbox.channel === "web" ? stepUpChange() : {}),
              allowedOrigins: origins.value
                .split(/[\s,]+/)
                .map((o) => o.trim())
                .filter(Boolean),
              timezone: zone.value,
              workingHours,
              ...complaints.change(),
            },
          });
          const retention = retentionChange();
          if (retention) await api.put(`/admin/inboxes/${inbox.id}/retention`, retention);
        });
        if (ok) {
          toast(`${name.value.trim()} saved`, { kind: "success", timeout: 2500 });
          s.reload();
        }
      },
    },
    panel(
      "General",
      "How the inbox is named and where its conversations go.",
      h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("Channel", channel, { name: "channel" }),
        field("Route conversations to", team, {
          name: "defaultTeamId",
          hint: "When the assistant hands off without a more specific team.",
        }),
        field("Vulnerable customers go to", vulnerableTeam, {
          name: "settings.vulnerableCustomersTeamId",
          hint: "Staff trained to serve customers an agent recorded as vulnerable (bereavement, illness…): their new conversations and handoffs.",
        }),
      ),
    ),
    panel(
      "Conversation",
      "What customers see first and what the inbox asks of them.",
      field("Greeting", greeting, {
        name: "settings.greeting",
        wide: true,
        hint: "Shown when the chat opens. Plain text, up to 500 characters.",
      }),
      h("div", { class: "toggles" }, bot, csat, nps, verify, inbox.channel === "web" ? preChat : null),
      inbox.channel === "web" ? preChatField : null,
    ),
    panel(
      "Working hours",
      "Outside these hours the assistant tells customers when agents are back.",
      field("Time zone", zone, { name: "settings.timezone" }),
      limited,
      h(
        "div",
        { class: "af", dataset: { field: "settings.workingHours" } },
        hoursBox,
        h("div", { class: "af-error", role: "alert", hidden: true }),
      ),
    ),
    inbox.channel === "web"
      ? panel(
          "Website embedding",
          "Where the chat widget may run.",
          field("Allowed origins", origins, {
            name: "settings.allowedOrigins",
            wide: true,
            hint: "One per line, such as https://www.bank.example. Empty: any site.",
          }),
        )
      : null,
    inbox.channel === "web"
      ? panel(
          "Step-up verification",
          "The signed identity says who the customer is; a one-time code, sent to the phone or e-mail address your core system has on file and typed in the chat, proves it is them typing now. Nothing is shown or changed until it is passed.",
          h(
            "div",
            { class: "af-grid" },
            field("Low risk: balances, deposits", stepLow, { name: "settings.stepUp.low" }),
            field("Medium risk: transactions", stepMedium, { name: "settings.stepUp.medium" }),
            field("High risk: freeze, report lost, payments", stepHigh, { name: "settings.stepUp.high" }),
            field("Send codes by", stepChannel, { name: "settings.stepUp.channel" }),
            field("SMS inbox that sends them", stepSmsInbox, {
              name: "settings.stepUp.smsInbox",
              hint: "The slug of an SMS inbox: its provider account sends the codes.",
            }),
            field("A passed code counts for (minutes)", stepMinutes, {
              name: "settings.stepUp.validMinutes",
              hint: "Within this time in the same conversation the customer is not asked again.",
            }),
          ),
        )
      : null,
    panel(
      "Complaint cases",
      "The deadlines new complaint cases in this inbox run, on a business calendar in the inbox's time zone. A case keeps the rules it was received under.",
      complaints.el,
    ),
    panel(
      "Retention",
      "How long resolved conversations are kept. Each day, those resolved longer ago are deleted or anonymised with their notes, attachments and delivery logs; a legal hold on the customer or conversation stops it.",
      h(
        "div",
        { class: "af-grid" },
        field("Keep for (days)", retentionDays, { name: "days", hint: "Empty: kept until deleted by hand." }),
        field("Then", retentionAction, { name: "action" }),
      ),
    ),
    panel(
      "Identity verification",
      "Your servers sign each signed-in customer's id with this inbox's secret, so account tools only serve verified customers.",
      h(
        "div",
        { class: "secret-panel" },
        h(
          "div",
          { class: "secret-status" },
          icon("key", 16),
          h("div", null, h("strong", null, "Identity secret"), h("div", { class: "muted" }, "Hidden. ", rotatedAt)),
        ),
        h(
          "button",
          { type: "button", class: "btn btn-secondary", "data-action": "rotate-secret", onclick: rotate },
          icon("rotate", 14),
          "Rotate secret",
        ),
      ),
      secretSlot,
    ),
    h(
      "div",
      { class: "save-bar" },
      formError(),
      h(
        "div",
        { class: "save-bar-actions" },
        h("button", { type: "button", class: "btn btn-secondary", onclick: () => s.page.navigate("inboxes") }, "Cancel"),
        save,
      ),
    ),
  );

  replace(
    s.body,
    h(
      "a",
      {
        href: "/console/admin/inboxes",
        class: "back-link",
        onclick: (e: MouseEvent) => {
          e.preventDefault();
          s.page.navigate("inboxes");
        },
      },
      icon("arrowLeft", 14),
      "Inboxes",
    ),
    pageHeader(inbox.name, `${channelLabel(inbox.channel)} · ${inbox.slug} · created ${dateTime(inbox.createdAt)}`),
    form,
  );
}
