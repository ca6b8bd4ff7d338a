import type { ConsoleApp } from "../app.ts";
import { api, errorMessage, optional } from "../api.ts";
import { h, replace } from "../dom.ts";
import { percent, reasonLabel, seconds } from "../format.ts";
import { icon, type IconName } from "../icons.ts";
import type { ReportSummary } from "../types.ts";
import { emptyState, spinner } from "../ui.ts";

type Range = "today" | "7d" | "30d";
const RANGES: Array<[Range, string]> = [
  ["today", "Today"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
];

/** A one-screen summary: volume, containment, response and resolution times, CSAT, handoff reasons. */
export class ReportsPage {
  readonly el = h("main", { class: "reports", "aria-label": "Reports" });
  private range: Range = "7d";
  private readonly body = h("div", { class: "reports-body" });
  private readonly rangeEl = h("div", { class: "segmented", role: "group", "aria-label": "Period" });
  private seq = 0;

  constructor(_app: ConsoleApp) {
    replace(
      this.el,
      h(
        "header",
        { class: "reports-header" },
        h("div", null, h("h1", null, "Reports"), h("p", { class: "muted" }, "How the assistant and the team are doing.")),
        this.rangeEl,
      ),
      this.body,
    );
  }

  async show(): Promise<void> {
    replace(
      this.rangeEl,
      RANGES.map(([r, label]) =>
        h(
          "button",
          {
            type: "button",
            class: r === this.range ? "active" : "",
            "aria-pressed": String(r === this.range),
            onclick: () => {
              this.range = r;
              void this.show();
            },
          },
          label,
        ),
      ),
    );
    const seq = ++this.seq;
    replace(this.body, spinner("Loading reports…"));
    const to = new Date();
    const from =
      this.range === "today"
        ? new Date(to.getFullYear(), to.getMonth(), to.getDate())
        : new Date(to.getTime() - (this.range === "7d" ? 7 : 30) * 86400_000);
    try {
      const r = await optional(api.get<ReportSummary>("/reports/summary", { from: from.toISOString(), to: to.toISOString() }));
      if (seq !== this.seq) return;
      if (!r) {
        replace(
          this.body,
          emptyState(
            "barChart",
            "Reports aren't available yet",
            "This server doesn't provide the reports summary yet. Once it does, volume, containment, response times and CSAT appear here.",
          ),
        );
        return;
      }
      this.render(r);
    } catch (err) {
      if (seq !== this.seq) return;
      replace(
        this.body,
        emptyState(
          "alert",
          "Couldn't load reports",
          errorMessage(err),
          h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => void this.show() }, "Try again"),
        ),
      );
    }
  }

  private render(r: ReportSummary): void {
    const card = (ic: IconName, label: string, value: string, sub?: string) =>
      h(
        "div",
        { class: "stat" },
        h("div", { class: "stat-label" }, icon(ic, 14), label),
        h("div", { class: "stat-value" }, value),
        sub ? h("div", { class: "stat-sub" }, sub) : null,
      );
    const reasons = Object.entries(r.handoffsByReason ?? {}).sort((a, b) => b[1] - a[1]);
    const maxReason = Math.max(1, ...reasons.map(([, n]) => n));
    const dist = r.csat?.distribution ?? {};
    const totalCsat = [1, 2, 3, 4, 5].reduce((s, k) => s + (Number(dist[String(k)]) || 0), 0);
    replace(
      this.body,
      h(
        "div",
        { class: "stats" },
        card("message", "Conversations", (r.conversations ?? 0).toLocaleString()),
        card("sparkle", "Containment", percent(r.containmentRate), "resolved by the assistant alone"),
        card("clock", "First response", seconds(r.firstResponse?.median), `median · p90 ${seconds(r.firstResponse?.p90)}`),
        card("checkCircle", "Resolution time", seconds(r.resolution?.median), `median · p90 ${seconds(r.resolution?.p90)}`),
        card(
          "smile",
          "CSAT",
          r.csat?.average != null ? `${r.csat.average.toFixed(2)} / 5` : "—",
          totalCsat ? `${totalCsat} ratings` : "no ratings yet",
        ),
      ),
      h(
        "div",
        { class: "report-panels" },
        h(
          "section",
          { class: "panel" },
          h("h2", null, "Handoffs by reason"),
          reasons.length
            ? h(
                "div",
                { class: "bars" },
                reasons.map(([reason, n]) =>
                  h(
                    "div",
                    { class: "bar-row" },
                    h("span", { class: "bar-label" }, reasonLabel(reason)),
                    h("span", { class: "bar" }, h("span", { class: "bar-fill", style: { width: `${(n / maxReason) * 100}%` } })),
                    h("span", { class: "bar-n" }, String(n)),
                  ),
                ),
              )
            : h("div", { class: "details-hint" }, "No handoffs in this period."),
        ),
        h(
          "section",
          { class: "panel" },
          h("h2", null, "Customer satisfaction"),
          totalCsat
            ? h(
                "div",
                { class: "bars" },
                [5, 4, 3, 2, 1].map((k) => {
                  const n = Number(dist[String(k)]) || 0;
                  return h(
                    "div",
                    { class: "bar-row" },
                    h("span", { class: "bar-label" }, `${"★".repeat(k)}`),
                    h("span", { class: "bar" }, h("span", { class: `bar-fill csat-${k}`, style: { width: `${(n / totalCsat) * 100}%` } })),
                    h("span", { class: "bar-n" }, String(n)),
                  );
                }),
              )
            : h("div", { class: "details-hint" }, "No ratings in this period."),
        ),
      ),
    );
  }
}
