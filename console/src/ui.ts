/** Small shared UI pieces: avatars, badges, chips, toasts, menus, empty states. */
import { h, type Child } from "./dom.ts";
import { icon, type IconName } from "./icons.ts";
import { hue, initials, reasonLabel, sentimentOf } from "./format.ts";

export function avatar(
  id: string,
  name: string | null | undefined,
  size: "sm" | "md" | "lg" = "md",
  kind: "person" | "bot" = "person",
): HTMLElement {
  if (kind === "bot")
    return h("span", { class: `avatar avatar-${size} avatar-bot`, "aria-hidden": "true" }, icon("sparkle", size === "sm" ? 12 : 16));
  return h("span", { class: `avatar avatar-${size}`, style: { "--h": String(hue(id)) }, "aria-hidden": "true" }, initials(name));
}

export function verifiedBadge(verified: boolean, compact = false): HTMLElement {
  if (verified)
    return h(
      "span",
      { class: "badge badge-verified", title: "Identity verified by the bank's sign-in" },
      icon("shield", 12),
      compact ? null : "Verified",
    );
  return compact
    ? h("span", { class: "sr-only" }, "Not verified")
    : h("span", { class: "badge badge-muted", title: "Not signed in: identity not verified" }, "Unverified");
}

export function priorityMarker(priority: string, withLabel = false): HTMLElement | null {
  if (!priority || priority === "none") return null;
  const label = priority[0]!.toUpperCase() + priority.slice(1);
  return h(
    "span",
    { class: `prio prio-${priority}`, title: `${label} priority` },
    icon("flag", 12),
    withLabel ? label : h("span", { class: "sr-only" }, `${label} priority`),
  );
}

export function sentimentMarker(value: unknown, withLabel = false): HTMLElement | null {
  const s = sentimentOf(value);
  if (!s) return null;
  const name: IconName = s.label === "negative" ? "frown" : s.label === "positive" ? "smile" : "meh";
  const title = `Sentiment: ${s.label}${s.score !== null ? ` (${s.score.toFixed(2)})` : ""}`;
  return h(
    "span",
    { class: `senti senti-${s.label}`, title },
    icon(name, 12),
    withLabel ? s.label : h("span", { class: "sr-only" }, title),
  );
}

export function reasonChip(reason: string | null | undefined): HTMLElement | null {
  if (!reason) return null;
  return h("span", { class: `chip chip-reason reason-${reason}`, title: "Why the assistant handed off" }, reasonLabel(reason));
}

export function statusPill(status: string): HTMLElement {
  const labels: Record<string, string> = { pending: "With assistant", open: "Open", snoozed: "Snoozed", resolved: "Resolved" };
  return h("span", { class: `status status-${status}` }, labels[status] ?? status);
}

export function button(
  label: Child,
  opts: {
    icon?: IconName;
    kind?: "primary" | "secondary" | "ghost" | "danger" | "success";
    onClick?: (e: MouseEvent) => void;
    title?: string;
    small?: boolean;
    type?: string;
    attrs?: Record<string, unknown>;
  } = {},
): HTMLButtonElement {
  return h(
    "button",
    {
      type: opts.type ?? "button",
      class: `btn btn-${opts.kind ?? "secondary"}${opts.small ? " btn-sm" : ""}${label === null ? " btn-icon" : ""}`,
      title: opts.title,
      "aria-label": label === null ? opts.title : undefined,
      onclick: opts.onClick,
      ...(opts.attrs ?? {}),
    },
    opts.icon ? icon(opts.icon, opts.small ? 14 : 16) : null,
    label === null ? null : h("span", null, label),
  );
}

export function emptyState(iconName: IconName, title: string, text?: string, action?: Node): HTMLElement {
  return h(
    "div",
    { class: "empty" },
    h("div", { class: "empty-icon" }, icon(iconName, 22)),
    h("div", { class: "empty-title" }, title),
    text ? h("div", { class: "empty-text" }, text) : null,
    action ?? null,
  );
}

export function spinner(label = "Loading…"): HTMLElement {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spin", "aria-hidden": "true" }), h("span", null, label));
}

// --- Toasts -----------------------------------------------------------------

let toastRoot: HTMLElement | undefined;

export function toast(
  text: string,
  opts: { kind?: "info" | "error" | "success"; action?: { label: string; run: () => void }; timeout?: number; title?: string } = {},
): void {
  if (!toastRoot || !toastRoot.isConnected) {
    toastRoot = h("div", { class: "toasts", role: "region", "aria-label": "Notifications" });
    document.body.appendChild(toastRoot);
  }
  const kind = opts.kind ?? "info";
  const el = h(
    "div",
    { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    icon(kind === "error" ? "alert" : kind === "success" ? "checkCircle" : "inbox", 16),
    h("div", { class: "toast-body" }, opts.title ? h("div", { class: "toast-title" }, opts.title) : null, h("div", null, text)),
    opts.action
      ? h(
          "button",
          {
            type: "button",
            class: "toast-action",
            onclick: () => {
              opts.action!.run();
              el.remove();
            },
          },
          opts.action.label,
        )
      : null,
    h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", onclick: () => el.remove() }, icon("x", 14)),
  );
  toastRoot.appendChild(el);
  while (toastRoot.children.length > 4) toastRoot.firstElementChild?.remove();
  setTimeout(() => el.remove(), opts.timeout ?? (kind === "error" ? 8000 : 5000));
}

// --- Menus --------------------------------------------------------------------

export interface MenuItem {
  label: string;
  hint?: string;
  icon?: IconName;
  run: () => void;
}

/** A dropdown menu anchored under a button; closes on outside click or Escape. */
export function openMenu(anchor: HTMLElement, items: MenuItem[]): void {
  document.querySelectorAll(".menu").forEach((m) => m.remove());
  const rect = anchor.getBoundingClientRect();
  const menu = h(
    "div",
    { class: "menu", role: "menu", style: { top: `${rect.bottom + 4}px`, right: `${Math.max(8, window.innerWidth - rect.right)}px` } },
    items.map((it) =>
      h(
        "button",
        {
          type: "button",
          role: "menuitem",
          class: "menu-item",
          onclick: () => {
            close();
            it.run();
          },
        },
        it.icon ? icon(it.icon, 14) : null,
        h("span", { class: "menu-label" }, it.label),
        it.hint ? h("span", { class: "menu-hint" }, it.hint) : null,
      ),
    ),
  );
  const onDoc = (e: Event) => {
    if (!menu.contains(e.target as Node) && e.target !== anchor) close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      close();
      anchor.focus();
    }
  };
  function close() {
    menu.remove();
    document.removeEventListener("mousedown", onDoc, true);
    document.removeEventListener("keydown", onKey, true);
  }
  document.body.appendChild(menu);
  document.addEventListener("mousedown", onDoc, true);
  document.addEventListener("keydown", onKey, true);
  (menu.querySelector("button") as HTMLButtonElement | null)?.focus();
}
