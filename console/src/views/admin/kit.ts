/**
 * Building blocks of the admin pages: labelled fields with inline errors, forms
 * that show the server's validation errors next to the right field, a modal
 * dialog, tables and a "shown once" secret box. Text always goes in as text.
 */
import { ApiError, errorMessage } from "../../api.ts";
import { h, replace, type Child } from "../../dom.ts";
import { icon, type IconName } from "../../icons.ts";
import { toast } from "../../ui.ts";

/** A labelled control; `name` ties it to the server's error paths (e.g. "settings.timezone"). */
export function field(
  label: string,
  control: HTMLElement,
  opts: { name: string; hint?: string; wide?: boolean } = { name: "" },
): HTMLElement {
  const id = `f-${opts.name.replace(/[^a-zA-Z0-9]+/g, "-")}-${Math.random().toString(36).slice(2, 7)}`;
  if (!control.id && /^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) control.id = id;
  const error = h("div", { class: "af-error", id: `${id}-err`, role: "alert", hidden: true });
  if (/^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) control.setAttribute("aria-describedby", `${id}-err`);
  return h(
    "div",
    { class: `af${opts.wide ? " af-wide" : ""}`, dataset: { field: opts.name } },
    h("label", { class: "af-label", for: control.id || undefined }, label),
    control,
    opts.hint ? h("div", { class: "af-hint" }, opts.hint) : null,
    error,
  );
}

export function input(attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h("input", { class: "input", type: "text", autocomplete: "off", spellcheck: "false", ...attrs });
}

export function select(options: Array<[string, string]>, value: string, attrs: Record<string, unknown> = {}): HTMLSelectElement {
  return h(
    "select",
    { class: "select", ...attrs, value },
    options.map(([v, label]) => h("option", { value: v }, label)),
  );
}

export function textarea(attrs: Record<string, unknown> = {}): HTMLTextAreaElement {
  return h("textarea", { class: "input af-textarea", rows: 4, ...attrs });
}

/** A switch-style checkbox with its label and an optional explanation. */
export function toggle(label: string, checked: boolean, hint?: string, attrs: Record<string, unknown> = {}): HTMLLabelElement {
  return h(
    "label",
    { class: "toggle" },
    h("input", { type: "checkbox", checked, ...attrs }),
    h("span", { class: "toggle-track", "aria-hidden": "true" }, h("span", { class: "toggle-thumb" })),
    h(
      "span",
      { class: "toggle-text" },
      h("span", { class: "toggle-label" }, label),
      hint ? h("span", { class: "toggle-hint" }, hint) : null,
    ),
  );
}

/** Clears the inline errors of a form. */
export function clearErrors(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>(".af-error").forEach((e) => {
    e.hidden = true;
    e.textContent = "";
  });
  root.querySelectorAll(".af.has-error").forEach((e) => e.classList.remove("has-error"));
  root.querySelectorAll<HTMLElement>(".form-error").forEach((e) => (e.hidden = true));
}

/**
 * Shows an API error in a form: each detail next to the field whose name is the
 * longest prefix of its path, the rest (or the message) in the form's banner.
 */
export function showErrors(root: HTMLElement, err: unknown): void {
  clearErrors(root);
  if (!root.dataset.clearsErrors) {
    // Editing a field takes its error away: the message was about the old value.
    root.dataset.clearsErrors = "1";
    const onEdit = (e: Event) => {
      const f = (e.target as HTMLElement).closest<HTMLElement>(".af.has-error");
      if (!f) return;
      f.classList.remove("has-error");
      const box = f.querySelector<HTMLElement>(":scope > .af-error");
      if (box) box.hidden = true;
    };
    root.addEventListener("input", onEdit);
    root.addEventListener("change", onEdit);
  }
  const fields = [...root.querySelectorAll<HTMLElement>(".af[data-field]")].filter((f) => f.dataset.field);
  const unplaced: string[] = [];
  const details = err instanceof ApiError ? err.details : [];
  let first: HTMLElement | undefined;
  for (const d of details) {
    const path = d.path.replace(/^body\./, "");
    const target = fields
      .filter((f) => path === f.dataset.field || path.startsWith(`${f.dataset.field}.`))
      .sort((a, b) => b.dataset.field!.length - a.dataset.field!.length)[0];
    if (!target) {
      unplaced.push(d.path ? `${d.path}: ${d.message}` : d.message);
      continue;
    }
    const box = target.querySelector<HTMLElement>(":scope > .af-error")!;
    if (box.hidden) {
      box.textContent = d.message;
      box.hidden = false;
      target.classList.add("has-error");
      first ??= target;
    }
  }
  const banner = root.querySelector<HTMLElement>(".form-error");
  if (!first || unplaced.length) {
    const text = unplaced.length && details.length ? unplaced.join(" · ") : errorMessage(err);
    if (banner) {
      replace(banner, icon("alert", 14), h("span", null, text));
      banner.hidden = false;
    } else toast(text, { kind: "error", title: "That didn't work" });
  }
  (first?.querySelector("input, select, textarea") as HTMLElement | null)?.focus();
}

export function formError(): HTMLElement {
  return h("div", { class: "form-error", role: "alert", hidden: true });
}

/** Runs a save with the button busy; errors go to the form. Resolves true on success. */
export async function submitting(form: HTMLElement, button: HTMLButtonElement, run: () => Promise<void>): Promise<boolean> {
  clearErrors(form);
  button.disabled = true;
  const label = button.textContent;
  button.classList.add("busy");
  try {
    await run();
    return true;
  } catch (err) {
    showErrors(form, err);
    return false;
  } finally {
    button.disabled = false;
    button.classList.remove("busy");
    if (label !== null && button.textContent !== label) button.textContent = label;
  }
}

// --- Modal ---------------------------------------------------------------------------------

export interface Modal {
  el: HTMLElement;
  close(): void;
}

/** A modal dialog: a title and content (see formModal); Escape and the backdrop close it. */
export function openModal(title: string, content: HTMLElement, opts: { wide?: boolean; onClose?: () => void } = {}): Modal {
  const previous = document.activeElement as HTMLElement | null;
  const titleId = `m-${Math.random().toString(36).slice(2, 8)}`;
  const dialog = h(
    "div",
    { class: `modal${opts.wide ? " modal-wide" : ""}`, role: "dialog", "aria-modal": "true", "aria-labelledby": titleId },
    h(
      "header",
      { class: "modal-head" },
      h("h2", { id: titleId }, title),
      h("button", { type: "button", class: "btn btn-ghost btn-icon", "aria-label": "Close", onclick: () => close() }, icon("x", 16)),
    ),
    content,
  );
  const backdrop = h("div", { class: "modal-backdrop", onmousedown: (e: MouseEvent) => e.target === backdrop && close() }, dialog);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    }
  };
  function close() {
    backdrop.remove();
    document.removeEventListener("keydown", onKey, true);
    opts.onClose?.();
    previous?.focus?.();
  }
  document.body.appendChild(backdrop);
  document.addEventListener("keydown", onKey, true);
  (
    dialog.querySelector(
      "input:not([type=hidden]):not([type=checkbox]), select, textarea, .modal-foot .btn-primary, .modal-foot .btn-danger",
    ) as HTMLElement | null
  )?.focus();
  return { el: dialog, close };
}

/**
 * A modal with a form: fields, an error banner and Cancel / submit. `run` saves;
 * on an error the form shows it inline and stays open; on success it closes, unless
 * `run` returns a node to show instead (a password shown once).
 */
export function formModal(opts: {
  title: string;
  body: Child;
  submit: string;
  danger?: boolean;
  wide?: boolean;
  run: () => Promise<HTMLElement | void>;
}): Modal {
  const ok = h("button", { type: "submit", class: `btn ${opts.danger ? "btn-danger" : "btn-primary"}` }, opts.submit);
  const cancel = h("button", { type: "button", class: "btn btn-secondary", onclick: () => modal.close() }, "Cancel");
  const bodyEl = h("div", { class: "modal-body" }, opts.body, formError());
  const foot = h("footer", { class: "modal-foot" }, cancel, ok);
  const form: HTMLFormElement = h(
    "form",
    {
      class: "modal-form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const result: { next: HTMLElement | null } = { next: null };
        const done = await submitting(form, ok, async () => {
          result.next = (await opts.run()) ?? null;
        });
        if (!done) return;
        const next = result.next;
        if (next) {
          replace(bodyEl, next);
          replace(foot, h("button", { type: "button", class: "btn btn-primary", onclick: () => modal.close() }, "Done"));
          (foot.querySelector("button") as HTMLButtonElement).focus();
        } else modal.close();
      },
    },
    bodyEl,
    foot,
  );
  const modal = openModal(opts.title, form, { wide: opts.wide });
  return modal;
}

/** Asks to confirm a consequential action. */
export function confirmAction(opts: {
  title: string;
  text: Child;
  confirm: string;
  danger?: boolean;
  extra?: HTMLElement;
  run: () => Promise<HTMLElement | void>;
}): Modal {
  return formModal({
    title: opts.title,
    body: [h("p", { class: "modal-text" }, opts.text), opts.extra ?? null],
    submit: opts.confirm,
    danger: opts.danger,
    run: opts.run,
  });
}

/** Shows a secret (a generated password, an identity secret) once, with a copy button. */
export function secretBox(label: string, secret: string, note: string): HTMLElement {
  const code = h("code", { class: "secret-value", "data-secret": "" }, secret);
  return h(
    "div",
    { class: "secret-box" },
    h("div", { class: "secret-head" }, icon("lock", 14), h("strong", null, label)),
    h(
      "div",
      { class: "secret-row" },
      code,
      h(
        "button",
        {
          type: "button",
          class: "btn btn-secondary btn-sm",
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(secret);
              toast("Copied to the clipboard", { kind: "success", timeout: 2000 });
            } catch {
              const range = document.createRange();
              range.selectNodeContents(code);
              getSelection()?.removeAllRanges();
              getSelection()?.addRange(range);
            }
          },
        },
        "Copy",
      ),
    ),
    h("div", { class: "secret-note" }, note),
  );
}

// --- Page parts -------------------------------------------------------------------------------

export function pageHeader(title: string, description: string, action?: HTMLElement | null): HTMLElement {
  return h(
    "header",
    { class: "admin-head" },
    h("div", null, h("h1", null, title), h("p", { class: "muted" }, description)),
    action ?? null,
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
  class?: string;
}

/** A data table; `rowAttrs` sets per-row attributes (data-id for tests, a muted class...). */
export function table<T>(columns: Column<T>[], rows: T[], rowAttrs: (row: T) => Record<string, unknown> = () => ({})): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "admin-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          columns.map((c) => h("th", { class: c.class, scope: "col" }, c.label)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((r) =>
          h(
            "tr",
            rowAttrs(r),
            columns.map((c) => h("td", { class: c.class }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

export function pill(
  text: string,
  kind: "neutral" | "brand" | "green" | "amber" | "red" | "violet" = "neutral",
  ic?: IconName,
): HTMLElement {
  return h("span", { class: `pill pill-${kind}` }, ic ? icon(ic, 12) : null, text);
}

export function rowActions(...buttons: HTMLElement[]): HTMLElement {
  return h("div", { class: "row-actions" }, buttons);
}

export function iconButton(ic: IconName, title: string, onClick: () => void, attrs: Record<string, unknown> = {}): HTMLButtonElement {
  return h(
    "button",
    { type: "button", class: "btn btn-ghost btn-icon btn-sm", title, "aria-label": title, onclick: onClick, ...attrs },
    icon(ic, 15),
  );
}
