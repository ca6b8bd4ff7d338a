import { api, errorMessage } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { emptyState, toast } from "../../ui.ts";
import type { CustomTool, CustomToolDefinitionWire, CustomToolList, CustomToolTrial } from "../../../../shared/wire/index.ts";
import type { SectionContext } from "./section.ts";
import { field, formModal, iconButton, input, openModal, pageHeader, pill, rowActions, select, table, textarea, toggle } from "./kit.ts";

const EXAMPLE_PARAMETERS = {
  type: "object",
  properties: { trackingNumber: { type: "string", title: "the tracking number on your card letter", pattern: "^[A-Z]{2}\\d{8}$" } },
  required: ["trackingNumber"],
};

const list = (s: string) =>
  s
    .split(/[,，\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Administration → Bank tools: the bank's own HTTP tools the assistant calls
 * (server/customTools). Each save is a new version; "Try it" performs the real call
 * with sample input and shows the reply the customer would read, or the error.
 */
export async function toolsSection(s: SectionContext): Promise<void> {
  const { items, allowedHosts } = await api.get<CustomToolList>("/admin/tools");
  if (!s.alive()) return;

  const edit = (t: CustomTool | null) => {
    const d: Partial<CustomToolDefinitionWire> = t?.definition ?? {};
    const name = input({ name: "name", value: d.name ?? "", maxlength: 48, placeholder: "track_card_delivery", disabled: Boolean(t) });
    const description = textarea({ name: "description", rows: 2, maxlength: 500 });
    description.value = d.description ?? "";
    const labelEn = input({ name: "label.en", value: d.label?.en ?? "", maxlength: 80, placeholder: "track your card delivery" });
    const labelZh = input({ name: "label.zh", value: d.label?.zh ?? "", maxlength: 80, placeholder: "查询卡片寄送进度" });
    const parameters = textarea({ name: "parameters", rows: 8, spellcheck: "false", class: "input af-textarea mono" });
    parameters.value = JSON.stringify(d.parameters ?? EXAMPLE_PARAMETERS, null, 2);
    const method = select(
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [m, m]),
      d.method ?? "GET",
      { name: "method" },
    );
    const url = input({
      name: "url",
      value: d.url ?? "",
      placeholder: "https://api.bank.example/customers/{customerId}/card-deliveries/{trackingNumber}",
    });
    const authKind = select(
      [
        ["none", "No credentials"],
        ["bearer", "Bearer token"],
        ["header", "API key header"],
      ],
      d.auth?.kind ?? "none",
      { name: "auth.kind" },
    );
    const header = input({ name: "auth.header", value: d.auth?.kind === "header" ? d.auth.header : "", placeholder: "X-Api-Key" });
    const secret = input({
      name: "secret",
      type: "password",
      autocomplete: "new-password",
      placeholder: t?.secretStored ? "Stored — leave empty to keep it" : "",
    });
    const templateEn = textarea({ name: "responseTemplate.en", rows: 3 });
    templateEn.value = d.responseTemplate?.en ?? "";
    const templateZh = textarea({ name: "responseTemplate.zh", rows: 3 });
    templateZh.value = d.responseTemplate?.zh ?? "";
    const keywords = input({
      name: "triggers.keywords",
      value: (d.triggers?.keywords ?? []).join(", "),
      placeholder: "card delivery, 卡片寄送",
    });
    const intents = input({ name: "triggers.intents", value: (d.triggers?.intents ?? []).join(", ") });
    const timeout = input({ name: "timeoutMs", type: "number", min: 500, max: 15000, value: String(d.timeoutMs ?? 5000) });
    const verified = toggle("Verified customers only", d.requiresVerifiedCustomer ?? true, "Needed for {customerId} in the URL");
    const changes = toggle("Changes something", d.changesSomething ?? false, "The bot asks the customer to confirm first");
    const enabled = toggle("Enabled", t?.enabled ?? true, "The assistant uses the latest version only when it is enabled");

    formModal({
      title: t ? `Edit ${t.name} (saves version ${t.version + 1})` : "New tool",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name", hint: "snake_case; it cannot change later." }),
        field("Time-out (ms)", timeout, { name: "timeoutMs" }),
        field("Description", description, { name: "description", wide: true, hint: "What it does — a language model reads this too." }),
        field("Called (English)", labelEn, { name: "label.en", hint: "As in “To track your card delivery, I need…”" }),
        field("Called (Chinese)", labelZh, { name: "label.zh" }),
        field("Input parameters (JSON Schema)", parameters, {
          name: "parameters",
          wide: true,
          hint: "An object of string (enum, pattern, lengths), integer, number or boolean properties; a title is how the bot asks for one.",
        }),
        field("Method", method, { name: "method" }),
        field("URL", url, {
          name: "url",
          hint: `{input} and {customerId} are filled in, URL-encoded. Allowed hosts: ${allowedHosts.join(", ") || "none (set CUSTOM_TOOL_HOSTS)"}`,
        }),
        field("Authentication", authKind, { name: "auth" }),
        field("Header name", header, { name: "auth.header" }),
        field("Token or key", secret, { name: "secret", hint: "Stored encrypted; never shown again." }),
        field("Reply (English)", templateEn, { name: "responseTemplate.en", wide: true, hint: "{{field.path}} from the JSON response." }),
        field("Reply (Chinese)", templateZh, { name: "responseTemplate.zh", wide: true }),
        field("Keywords", keywords, { name: "triggers.keywords", hint: "Comma-separated; any of them in a message starts the tool." }),
        field("Intents", intents, { name: "triggers.intents" }),
        h("div", { class: "af af-wide" }, verified, changes, enabled),
      ),
      submit: t ? "Save new version" : "Add tool",
      run: async () => {
        let params: unknown;
        try {
          params = JSON.parse(parameters.value);
        } catch {
          params = parameters.value; // the server names the field at fault
        }
        const definition = {
          name: t?.name ?? name.value.trim(),
          description: description.value,
          label: { en: labelEn.value, zh: labelZh.value },
          parameters: params,
          method: method.value,
          url: url.value.trim(),
          auth: authKind.value === "header" ? { kind: "header", header: header.value.trim() } : { kind: authKind.value },
          responseTemplate: { en: templateEn.value, zh: templateZh.value },
          requiresVerifiedCustomer: verified.querySelector("input")!.checked,
          changesSomething: changes.querySelector("input")!.checked,
          triggers: { keywords: list(keywords.value), intents: list(intents.value) },
          timeoutMs: Number(timeout.value),
        };
        const body = { definition, enabled: enabled.querySelector("input")!.checked, ...(secret.value ? { secret: secret.value } : {}) };
        if (t) await api.put(`/admin/tools/${t.id}`, body);
        else await api.post("/admin/tools", body);
        toast(t ? "New version saved" : "Tool added", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const tryIt = (t: CustomTool) => {
    const sample = Object.fromEntries(
      Object.entries(t.definition.parameters.properties).map(([k, p]) => [k, p.enum?.[0] ?? (p.type === "string" ? "" : 0)]),
    );
    const params = textarea({ name: "params", rows: 5, spellcheck: "false", class: "input af-textarea mono" });
    params.value = JSON.stringify(sample, null, 2);
    const customer = input({ name: "customerId", placeholder: "C-1001" });
    const language = select(
      [
        ["en", "English"],
        ["zh", "中文"],
      ],
      "en",
      { name: "language" },
    );
    const result = h("div", { class: "tool-trial", "aria-live": "polite" });
    const run = h("button", { type: "button", class: "btn btn-primary", "data-action": "run-trial" }, "Run");
    run.addEventListener("click", async () => {
      run.disabled = true;
      replace(result, h("p", { class: "muted" }, "Calling…"));
      try {
        let sampleInput: unknown;
        try {
          sampleInput = JSON.parse(params.value);
        } catch {
          throw new Error("The sample input is not valid JSON");
        }
        const r = await api.post<CustomToolTrial>(`/admin/tools/${t.id}/try`, {
          params: sampleInput,
          language: language.value,
          ...(customer.value.trim() ? { customerId: customer.value.trim() } : {}),
        });
        replace(
          result,
          r.ok
            ? h(
                "div",
                { class: "trial-ok" },
                pill(`HTTP ${r.status} · ${r.durationMs} ms`, "green"),
                h("p", { class: "trial-reply" }, r.reply),
              )
            : h(
                "div",
                { class: "trial-error" },
                pill(`${r.failure}${r.status ? ` · HTTP ${r.status}` : ""} · ${r.durationMs} ms`, "red"),
                h("p", null, r.message),
                r.response === undefined ? null : h("pre", { class: "mono" }, JSON.stringify(r.response, null, 2).slice(0, 4000)),
              ),
        );
      } catch (err) {
        replace(result, h("p", { class: "af-error" }, errorMessage(err)));
      } finally {
        run.disabled = false;
      }
    });
    openModal(
      `Try ${t.name} (version ${t.version})`,
      h(
        "div",
        { class: "modal-body" },
        h(
          "p",
          { class: "muted" },
          "Performs the real call with this input (recorded in the audit log) and shows what the customer would read.",
        ),
        field("Sample input (JSON)", params, { name: "params" }),
        field("Customer id (for {customerId})", customer, { name: "customerId" }),
        field("Language", language, { name: "language" }),
        run,
        result,
      ),
      { wide: true },
    );
  };

  replace(
    s.body,
    pageHeader(
      "Bank tools",
      "Your own HTTP tools the assistant can call for customers: delivery tracking, application status, appointments.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-tool", onclick: () => edit(null) }, "New tool"),
    ),
    items.length
      ? table(
          [
            {
              label: "Tool",
              cell: (t) => h("div", null, h("strong", null, t.name), h("div", { class: "muted" }, t.definition.description)),
            },
            { label: "Version", cell: (t) => `v${t.version}`, class: "col-num" },
            {
              label: "Status",
              cell: (t) =>
                h(
                  "span",
                  null,
                  pill(t.enabled ? "Enabled" : "Disabled", t.enabled ? "green" : "neutral"),
                  t.definition.changesSomething ? pill("Changes something", "amber") : null,
                  t.definition.requiresVerifiedCustomer ? pill("Verified only", "neutral") : null,
                ),
            },
            {
              label: "",
              class: "col-actions",
              cell: (t) =>
                rowActions(
                  iconButton("send", `Try ${t.name}`, () => tryIt(t), { "data-action": "try-tool" }),
                  iconButton("edit", `Edit ${t.name}`, () => edit(t)),
                ),
            },
          ],
          items,
          (t) => ({ "data-id": t.id }),
        )
      : emptyState("settings", "No tools yet", "Define a tool such as card delivery tracking; the assistant uses it once it is enabled."),
  );
}
