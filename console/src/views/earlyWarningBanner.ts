import type { EarlyWarningAlert } from "../../../shared/wire/index.ts";
import type { Route } from "../routes.ts";
import { api, errorMessage } from "../api.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import { toast } from "../ui.ts";
import { alertSummary, scopeLabel } from "./earlyWarningText.ts";

/**
 * The admins' early-warning banner above every page: the open alerts nobody has
 * marked seen yet, each with a link to the conversations behind it. Loaded on start,
 * then kept live by the `early_warning` socket event (raised, recovered, seen).
 */
export class EarlyWarningBanner {
  readonly el = h("div", { class: "ew-banner", role: "alert", "aria-label": "Early-warning alerts", hidden: true });
  private readonly alerts = new Map<string, EarlyWarningAlert>();

  constructor(private readonly app: { navigate(r: Route): void }) {}

  async load(): Promise<void> {
    try {
      const { items } = await api.get<{ items: EarlyWarningAlert[] }>("/early-warning/alerts");
      for (const a of items) this.alerts.set(a.id, a);
      this.render();
    } catch {
      // Not fatal: live alerts still arrive by socket.
    }
  }

  onAlert(a: EarlyWarningAlert): void {
    this.alerts.set(a.id, a);
    this.render();
  }

  private render(): void {
    const shown = [...this.alerts.values()]
      .filter((a) => !a.recoveredAt && !a.acknowledgedAt)
      .sort((x, y) => y.raisedAt.localeCompare(x.raisedAt));
    this.el.hidden = shown.length === 0;
    replace(
      this.el,
      shown.slice(0, 3).map((a) =>
        h(
          "div",
          { class: "ew-alert", dataset: { alert: a.id, metric: a.metric } },
          icon("alert", 14),
          h("strong", null, a.thresholdName),
          // Which inbox crossed: an inbox's own threshold names it; the organisation's says so.
          h("span", { class: "ew-inbox", dataset: { inbox: a.inboxId ?? "" } }, scopeLabel(a)),
          h("span", { class: "ew-text" }, alertSummary(a)),
          h(
            "a",
            {
              href: `/console/admin/early-warning/${a.id}`,
              class: "ew-link",
              onclick: (e: Event) => {
                e.preventDefault();
                this.app.navigate({ page: "admin", section: "early-warning", id: a.id });
              },
            },
            `View ${a.conversationIds.length} conversation${a.conversationIds.length === 1 ? "" : "s"}`,
          ),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-ghost btn-sm",
              "aria-label": `Mark “${a.thresholdName}” as seen`,
              onclick: () =>
                void api
                  .post<EarlyWarningAlert>(`/early-warning/alerts/${a.id}/acknowledge`, {})
                  .then((x) => this.onAlert(x))
                  .catch((err) => toast(errorMessage(err), { kind: "error" })),
            },
            "Dismiss",
          ),
        ),
      ),
      shown.length > 3 ? h("div", { class: "ew-more" }, `and ${shown.length - 3} more`) : null,
    );
  }
}
