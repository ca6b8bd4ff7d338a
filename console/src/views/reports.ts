import type { Chart, ChartConfiguration } from "chart.js";
import type { Directory, Session } from "../consoleHost.ts";
import { api, errorMessage, withQuery } from "../api.ts";
import { h, replace, type Child } from "../dom.ts";
import { dateTime, percent, reasonLabel, seconds, sourceLabel } from "../format.ts";
import { icon, type IconName } from "../icons.ts";
import type {
  CaseCount,
  CaseDuration,
  CaseReport,
  NpsFigures,
  NpsReport,
  ReportSummary,
  SlaAttainment,
  UnansweredQuestion,
} from "../../../shared/wire/index.ts";
import { emptyState, spinner } from "../ui.ts";
import { CHART_COLORS, drawChart } from "./reportCharts.ts";

type Preset = "today" | "7d" | "30d" | "90d" | "custom";
const PRESETS: Array<[Preset, string]> = [
  ["today", "Today"],
  ["7d", "7 days"],
  ["30d", "30 days"],
  ["90d", "90 days"],
];

/** One column of a report table: its heading, the cell's class ("num" right-aligns the heading too), and what a row shows in it. */
export interface ReportColumn<T> {
  label: string;
  class?: string;
  cell: (row: T) => Child;
  title?: (row: T) => string;
}

/**
 * The tables of the Reports view, written one way: a heading row (left out with
 * `header: false`), a row per item with its dataset, or the hint `empty` when there is none.
 */
export function reportTable<T>(
  columns: Array<ReportColumn<T>>,
  rows: T[],
  empty: string,
  options: { header?: boolean; rowData?: (row: T) => Record<string, string> } = {},
): HTMLElement {
  if (!rows.length) return h("div", { class: "details-hint" }, empty);
  const numeric = (c: ReportColumn<T>) => (c.class ?? "").split(" ").includes("num");
  return h(
    "table",
    { class: "report-table" },
    options.header === false
      ? null
      : h(
          "thead",
          null,
          h(
            "tr",
            null,
            columns.map((c) => h("th", numeric(c) ? { class: "num" } : null, c.label)),
          ),
        ),
    h(
      "tbody",
      null,
      rows.map((r) =>
        h(
          "tr",
          options.rowData ? { dataset: options.rowData(r) } : null,
          columns.map((c) => h("td", { class: c.class, title: c.title?.(r) }, c.cell(r))),
        ),
      ),
    ),
  );
}

const dateInput = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/**
 * Reports: key figures and Chart.js charts (conversations per day, bot containment,
 * handoffs by reason, first response and resolution times, CSAT) for a date range,
 * with CSV export.
 */
export class ReportsPage {
  readonly el = h("main", { class: "reports", "aria-label": "Reports" });
  private preset: Preset = "7d";
  private readonly body = h("div", { class: "reports-body" });
  private readonly controls = h("div", { class: "reports-controls" });
  private readonly fromInput: HTMLInputElement;
  private readonly toInput: HTMLInputElement;
  private charts: Chart[] = [];
  private seq = 0;
  private teamId = "";
  private inboxId = "";
  /** A customer segment: every panel and export then covers its customers only. */
  private segmentId = "";

  constructor(private readonly app: Session & Directory) {
    const now = new Date();
    this.fromInput = h("input", {
      type: "date",
      "aria-label": "From",
      value: dateInput(new Date(now.getTime() - 7 * 86400_000)),
      onchange: () => this.custom(),
    });
    this.toInput = h("input", { type: "date", "aria-label": "To", value: dateInput(now), onchange: () => this.custom() });
    replace(
      this.el,
      h(
        "header",
        { class: "reports-header" },
        h("div", null, h("h1", null, "Reports"), h("p", { class: "muted" }, "How the assistant and the team are doing.")),
        this.controls,
      ),
      this.body,
    );
  }

  private custom(): void {
    this.preset = "custom";
    void this.show();
  }

  /** The selected range: presets end now; custom dates are whole local days. */
  private range(): { from: Date; to: Date } {
    const to = new Date();
    if (this.preset === "custom") {
      const from = new Date(`${this.fromInput.value}T00:00:00`);
      const end = new Date(`${this.toInput.value}T00:00:00`);
      end.setDate(end.getDate() + 1);
      return { from, to: end };
    }
    if (this.preset === "today") return { from: new Date(to.getFullYear(), to.getMonth(), to.getDate()), to };
    const days = this.preset === "7d" ? 7 : this.preset === "30d" ? 30 : 90;
    return { from: new Date(to.getTime() - days * 86400_000), to };
  }

  /** The request's range and filters (with the segment), for every panel and export; null when the custom dates make no period. */
  private query(): Record<string, string> | null {
    const { from, to } = this.range();
    const valid = !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to;
    if (!valid) return null;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      ...(this.teamId ? { teamId: this.teamId } : {}),
      ...(this.inboxId ? { inboxId: this.inboxId } : {}),
      ...(this.segmentId ? { segmentId: this.segmentId } : {}),
    };
  }

  /** Period, team, inbox and segment pickers, and the CSV links for what is selected. */
  renderControls(): void {
    const query = this.query() ?? {};
    const app = this.app;
    const filterSelect = (label: string, any: string, value: string, options: Array<[string, string]>, set: (v: string) => void) =>
      h(
        "select",
        {
          class: `select select-sm${value ? " filter-active" : ""}`,
          "aria-label": label,
          value,
          onchange: (e: Event) => {
            set((e.target as HTMLSelectElement).value);
            void this.show();
          },
        },
        h("option", { value: "" }, any),
        options.map(([v, text]) => h("option", { value: v }, text)),
      );
    const exportLink = (kind: "daily" | "conversations", label: string) =>
      h(
        "a",
        {
          class: "btn btn-secondary btn-sm",
          href: `/api/v1${withQuery("/reports/export.csv", { ...query, kind })}`,
          download: "",
          dataset: { export: kind },
        },
        icon("file", 13),
        label,
      );
    replace(
      this.controls,
      h(
        "div",
        { class: "segmented", role: "group", "aria-label": "Period" },
        PRESETS.map(([p, label]) =>
          h(
            "button",
            {
              type: "button",
              class: p === this.preset ? "active" : "",
              "aria-pressed": String(p === this.preset),
              onclick: () => {
                this.preset = p;
                void this.show();
              },
            },
            label,
          ),
        ),
      ),
      this.fromInput,
      h("span", { class: "muted" }, "–"),
      this.toInput,
      filterSelect(
        "Report team",
        app.me.role === "admin" ? "All teams" : "All my teams",
        this.teamId,
        // An agent's reports cover the conversations they can read: their own teams only.
        (app.teams ?? []).filter((t) => app.me.role === "admin" || app.me.teamIds?.includes(t.id)).map((t) => [t.id, t.name]),
        (v) => (this.teamId = v),
      ),
      filterSelect(
        "Report inbox",
        "All inboxes",
        this.inboxId,
        (app.inboxes ?? []).map((i) => [i.id, i.name]),
        (v) => (this.inboxId = v),
      ),
      app.segments?.length
        ? filterSelect(
            "Report customer segment",
            "All customers",
            this.segmentId,
            app.segments.map((s) => [s.id, s.name]),
            (v) => (this.segmentId = v),
          )
        : null,
      this.segmentId
        ? h("span", { class: "muted", dataset: { segmentNote: "" } }, "Every figure, chart and CSV covers this segment's customers only.")
        : null,
      exportLink("daily", "Export CSV"),
      h(
        "a",
        {
          class: "btn btn-secondary btn-sm",
          href: `/api/v1${withQuery("/reports/sla.csv", query)}`,
          download: "",
          dataset: { export: "sla" },
        },
        icon("file", 13),
        "SLA CSV",
      ),
      this.app.me.role === "admin" ? exportLink("conversations", "Conversations CSV") : null,
      // One row per NPS answer with the customer and their reason: admins only, on the access log.
      this.app.me.role === "admin"
        ? h(
            "a",
            {
              class: "btn btn-secondary btn-sm",
              href: `/api/v1${withQuery("/reports/nps.csv", query)}`,
              download: "",
              dataset: { export: "nps" },
            },
            icon("file", 13),
            "NPS CSV",
          )
        : null,
      // One row per complaint case: it names customers, so admins only (as the conversations CSV).
      this.app.me.role === "admin"
        ? h(
            "a",
            {
              class: "btn btn-secondary btn-sm",
              href: `/api/v1${withQuery("/reports/cases.csv", query)}`,
              download: "",
              dataset: { export: "cases" },
            },
            icon("file", 13),
            "Complaints CSV",
          )
        : null,
    );
  }

  async show(): Promise<void> {
    this.renderControls();
    const query = this.query();
    if (!query) {
      replace(this.body, emptyState("alert", "Pick a valid period", "The start date must be before the end date."));
      return;
    }
    const seq = ++this.seq;
    this.destroyCharts();
    replace(this.body, spinner("Loading reports…"));
    try {
      const [r, sla, cases, nps] = await Promise.all([
        api.get<ReportSummary>("/reports/summary", query),
        api.get<{ items: SlaAttainment[] }>("/reports/sla", query).then(
          (x) => x.items,
          () => null,
        ),
        api.get<CaseReport>("/reports/cases", query).catch(() => null),
        api.get<NpsReport>("/reports/nps", query).catch(() => null),
      ]);
      if (seq !== this.seq) return;
      this.render(r, sla, cases, nps);
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

  private destroyCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  /** A panel with a chart, or a hint when there is nothing to draw. */
  private panel(id: string, title: string, config: ChartConfiguration | null, empty: string): HTMLElement {
    let content: HTMLElement;
    if (config) {
      const { canvas, chart } = drawChart(config, title);
      this.charts.push(chart);
      content = h("div", { class: "chart-box" }, canvas);
    } else {
      content = h("div", { class: "details-hint" }, empty);
    }
    return h("section", { class: "panel", dataset: { chart: id } }, h("h2", null, title), content);
  }

  private render(
    r: ReportSummary,
    sla: SlaAttainment[] | null = null,
    cases: CaseReport | null = null,
    nps: NpsReport | null = null,
  ): void {
    const card = (ic: IconName, label: string, value: string, sub?: string) =>
      h(
        "div",
        { class: "stat" },
        h("div", { class: "stat-label" }, icon(ic, 14), label),
        h("div", { class: "stat-value" }, value),
        sub ? h("div", { class: "stat-sub" }, sub) : null,
      );
    const daily = r.daily ?? [];
    const days = daily.map((d) => d.day.slice(5));
    const reasons = Object.entries(r.handoffsByReason ?? {}).sort((a, b) => b[1] - a[1]);
    const dist = r.csat?.distribution ?? {};
    const totalCsat = [1, 2, 3, 4, 5].reduce((s, k) => s + (Number(dist[String(k)]) || 0), 0);
    const minutes = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round((s / 60) * 10) / 10);
    const noDays = "No conversations in this period.";
    const sentiment = (r.sentimentTrend ?? []).filter((d) => d.average !== null || d.negativeShare !== null);
    const fb = r.answerFeedback;
    const verdicts = fb ? fb.helpful + fb.notHelpful : 0;

    this.destroyCharts();
    replace(
      this.body,
      h(
        "div",
        { class: "stats" },
        card("message", "Conversations", (r.conversations ?? 0).toLocaleString()),
        card("sparkle", "Containment", percent(r.containmentRate), "resolved by the assistant alone, no answer marked unhelpful"),
        card("clock", "First response", seconds(r.firstResponse?.median), `median · p90 ${seconds(r.firstResponse?.p90)}`),
        card("checkCircle", "Resolution time", seconds(r.resolution?.median), `median · p90 ${seconds(r.resolution?.p90)}`),
        card(
          "smile",
          "CSAT",
          r.csat?.average != null ? `${r.csat.average.toFixed(2)} / 5` : "—",
          totalCsat ? `${totalCsat} ratings` : "no ratings yet",
        ),
        card(
          "checkCircle",
          "Helpful answers",
          percent(fb?.helpfulRate),
          verdicts && fb
            ? `👍 ${fb.helpful} · 👎 ${fb.notHelpful}${fb.inWords ? ` (${fb.inWords} in words)` : ""}`
            : "no answers rated yet",
        ),
      ),
      h(
        "div",
        { class: "report-panels" },
        this.panel(
          "per-day",
          "Conversations per day",
          daily.length
            ? {
                type: "bar",
                data: {
                  labels: days,
                  datasets: [
                    { label: "Assistant only", data: daily.map((d) => d.n - d.handed_off), backgroundColor: CHART_COLORS.bot, stack: "s" },
                    { label: "Handed off", data: daily.map((d) => d.handed_off), backgroundColor: CHART_COLORS.brand, stack: "s" },
                  ],
                },
                options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
              }
            : null,
          noDays,
        ),
        this.panel(
          "containment",
          "Bot containment rate",
          daily.length
            ? {
                type: "line",
                data: {
                  labels: days,
                  datasets: [
                    {
                      label: "Resolved by the assistant alone (%)",
                      data: daily.map((d) => (d.n ? Math.round(((d.bot_resolved ?? d.n - d.handed_off) / d.n) * 1000) / 10 : null)),
                      borderColor: CHART_COLORS.bot,
                      backgroundColor: "rgba(124, 92, 219, 0.12)",
                      fill: true,
                      tension: 0.25,
                    },
                  ],
                },
                options: { scales: { y: { min: 0, max: 100 } } },
              }
            : null,
          noDays,
        ),
        this.panel(
          "reasons",
          "Handoffs by reason",
          reasons.length
            ? {
                type: "bar",
                data: {
                  labels: reasons.map(([k]) => reasonLabel(k)),
                  datasets: [{ label: "Handoffs", data: reasons.map(([, n]) => n), backgroundColor: CHART_COLORS.brand }],
                },
                options: {
                  indexAxis: "y",
                  plugins: { legend: { display: false } },
                  scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
                },
              }
            : null,
          "No handoffs in this period.",
        ),
        this.panel(
          "times",
          "First response and resolution time (median, minutes)",
          daily.some((d) => d.frt_median != null || d.res_median != null)
            ? {
                type: "line",
                data: {
                  labels: days,
                  datasets: [
                    {
                      label: "First response",
                      data: daily.map((d) => minutes(d.frt_median)),
                      borderColor: CHART_COLORS.amber,
                      backgroundColor: CHART_COLORS.amber,
                      spanGaps: true,
                      tension: 0.25,
                    },
                    {
                      label: "Resolution",
                      data: daily.map((d) => minutes(d.res_median)),
                      borderColor: CHART_COLORS.green,
                      backgroundColor: CHART_COLORS.green,
                      spanGaps: true,
                      tension: 0.25,
                    },
                  ],
                },
                options: { scales: { y: { beginAtZero: true } } },
              }
            : null,
          "No replies or resolutions in this period.",
        ),
        this.panel(
          "csat",
          "Customer satisfaction",
          totalCsat
            ? {
                type: "bar",
                data: {
                  labels: ["★", "★★", "★★★", "★★★★", "★★★★★"],
                  datasets: [
                    {
                      label: "Ratings",
                      data: [1, 2, 3, 4, 5].map((k) => Number(dist[String(k)]) || 0),
                      backgroundColor: [CHART_COLORS.red, CHART_COLORS.red, CHART_COLORS.grey, CHART_COLORS.green, CHART_COLORS.green],
                    },
                  ],
                },
                options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
              }
            : null,
          "No ratings in this period.",
        ),
        this.panel(
          "sentiment",
          "Customer sentiment per day",
          sentiment.length
            ? {
                type: "line",
                data: {
                  labels: sentiment.map((d) => d.day.slice(5)),
                  datasets: [
                    {
                      label: "Average score (−1 … 1)",
                      data: sentiment.map((d) => d.average),
                      borderColor: CHART_COLORS.brand,
                      backgroundColor: CHART_COLORS.brand,
                      spanGaps: true,
                      tension: 0.25,
                      yAxisID: "y",
                    },
                    {
                      label: "Negative conversations (%)",
                      data: sentiment.map((d) => (d.negativeShare === null ? null : Math.round(d.negativeShare * 1000) / 10)),
                      borderColor: CHART_COLORS.red,
                      backgroundColor: "rgba(214, 69, 69, 0.10)",
                      fill: true,
                      spanGaps: true,
                      tension: 0.25,
                      yAxisID: "y1",
                    },
                  ],
                },
                options: {
                  scales: {
                    y: { min: -1, max: 1, title: { display: true, text: "score" } },
                    y1: {
                      position: "right",
                      min: 0,
                      max: 100,
                      grid: { drawOnChartArea: false },
                      title: { display: true, text: "% negative" },
                    },
                  },
                },
              }
            : null,
          "No conversations with a sentiment in this period.",
        ),
        this.npsPanels(nps),
        this.slaChart(sla),
        this.slaPanel(sla),
        this.complaintPanels(cases),
        this.unansweredPanel(r.unansweredQuestions ?? []),
      ),
    );
  }

  /**
   * Net Promoter Score (GET /reports/nps): the score and counts, a weekly chart (score
   * line over promoters, passives and detractors), the same by inbox, team and agent,
   * and the latest reasons customers gave.
   */
  private npsPanels(n: NpsReport | null): HTMLElement[] {
    if (!n) return [];
    const score = (s: number | null) => (s === null ? "—" : `${s > 0 ? "+" : ""}${s}`);
    type Row = NpsFigures & { name: string | null };
    const columns = (label: string, none: string): Array<ReportColumn<Row>> => [
      { label, cell: (x) => x.name ?? h("span", { class: "muted" }, none) },
      { label: "NPS", class: "num", cell: (x) => score(x.score) },
      { label: "Answers", class: "num", cell: (x) => String(x.responses) },
      { label: "Promoters", class: "num", cell: (x) => String(x.promoters) },
      { label: "Passives", class: "num", cell: (x) => String(x.passives) },
      { label: "Detractors", class: "num", cell: (x) => String(x.detractors) },
    ];
    const empty = "No NPS answers in this period.";
    const o = n.overall;
    return [
      h(
        "section",
        { class: "panel panel-wide", dataset: { panel: "nps" } },
        h("h2", null, "Net Promoter Score"),
        h(
          "p",
          { class: "panel-sub muted" },
          "“How likely are you to recommend us?” after resolution (0–10): promoters answer 9–10, detractors 0–6; the score is % promoters − % detractors.",
        ),
        h(
          "div",
          { class: "stats" },
          h(
            "div",
            { class: "stat" },
            h("div", { class: "stat-label" }, "NPS"),
            h("div", { class: "stat-value", dataset: { nps: String(o.score ?? "") } }, score(o.score)),
            h("div", { class: "stat-sub" }, `${o.responses} answers · ${n.pending} waiting for an answer`),
          ),
          h(
            "div",
            { class: "stat" },
            h("div", { class: "stat-label" }, "Promoters · passives · detractors"),
            h("div", { class: "stat-value" }, `${o.promoters} · ${o.passives} · ${o.detractors}`),
          ),
        ),
        h(
          "div",
          { class: "report-panels" },
          h(
            "div",
            { dataset: { list: "nps-inbox" } },
            h("h3", null, "By inbox"),
            reportTable<Row>(columns("Inbox", "—"), n.byInbox, empty),
          ),
          h(
            "div",
            { dataset: { list: "nps-team" } },
            h("h3", null, "By team"),
            reportTable<Row>(columns("Team", "No team"), n.byTeam, empty),
          ),
          h(
            "div",
            { dataset: { list: "nps-agent" } },
            h("h3", null, "By agent"),
            reportTable<Row>(columns("Agent", "Unassigned"), n.byAgent, empty),
          ),
        ),
        h("h3", null, "Why customers said so"),
        reportTable(
          [
            { label: "Score", class: "num", cell: (c) => String(c.score) },
            { label: "Reason", class: "q-text", cell: (c) => c.comment },
            { label: "Conversation", class: "nowrap", cell: (c) => `#${c.displayId} · ${c.inbox}` },
            { label: "Answered", class: "muted nowrap", cell: (c) => dateTime(c.answeredAt) },
          ],
          n.comments,
          "No customer gave a reason in this period.",
          { rowData: (c) => ({ conversation: c.conversationId }) },
        ),
      ),
      this.panel(
        "nps-weekly",
        "NPS by week",
        n.byWeek.length
          ? {
              type: "bar",
              data: {
                labels: n.byWeek.map((w) => w.week.slice(5)),
                datasets: [
                  { type: "line", label: "NPS", data: n.byWeek.map((w) => w.score), borderColor: CHART_COLORS.brand, yAxisID: "y1" },
                  { label: "Promoters", data: n.byWeek.map((w) => w.promoters), backgroundColor: CHART_COLORS.green, stack: "s" },
                  { label: "Passives", data: n.byWeek.map((w) => w.passives), backgroundColor: CHART_COLORS.grey, stack: "s" },
                  { label: "Detractors", data: n.byWeek.map((w) => w.detractors), backgroundColor: CHART_COLORS.red, stack: "s" },
                ],
              },
              options: {
                scales: {
                  x: { stacked: true },
                  y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "answers" } },
                  y1: { position: "right", min: -100, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "NPS" } },
                },
              },
            }
          : null,
        empty,
      ),
    ];
  }

  private slaChart(items: SlaAttainment[] | null): HTMLElement | null {
    if (!items) return null;
    const rate = (t: { rate: number | null }) => (t.rate === null ? null : Math.round(t.rate * 1000) / 10);
    const decided = items.filter((p) => [p.firstResponse, p.nextResponse, p.resolution].some((t) => t.rate !== null));
    return this.panel(
      "sla",
      "SLA attainment",
      decided.length
        ? {
            type: "bar",
            data: {
              labels: decided.map((p) => p.policy),
              datasets: [
                { label: "First response", data: decided.map((p) => rate(p.firstResponse)), backgroundColor: CHART_COLORS.brand },
                { label: "Next response", data: decided.map((p) => rate(p.nextResponse)), backgroundColor: CHART_COLORS.bot },
                { label: "Resolution", data: decided.map((p) => rate(p.resolution)), backgroundColor: CHART_COLORS.green },
              ],
            },
            options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "% met" } } } },
          }
        : null,
      "No SLA target was met or missed in this period.",
    );
  }

  /**
   * Complaints received in the period (GET /reports/cases): the figures, bars by
   * category and product, breaches per clock, root causes, repeat complainants and remedies.
   */
  private complaintPanels(c: CaseReport | null): HTMLElement[] {
    if (!c) return [];
    const days = (d: CaseDuration) => (d.medianBusinessDays === null ? "—" : `${d.medianBusinessDays} days`);
    const sub = (d: CaseDuration) =>
      d.cases ? `working days, median · p90 ${d.p90BusinessDays} · ${d.medianCalendarDays} calendar days · ${d.cases} cases` : "none yet";
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const stat = (label: string, value: string, note: string) =>
      h(
        "div",
        { class: "stat" },
        h("div", { class: "stat-label" }, label),
        h("div", { class: "stat-value" }, value),
        h("div", { class: "stat-sub" }, note),
      );
    const bars = (id: string, title: string, items: CaseCount[], color: string) =>
      this.panel(
        id,
        title,
        items.length
          ? {
              type: "bar",
              data: {
                labels: items.map((i) => i.nameEn ?? "Not classified"),
                datasets: [{ label: "Cases", data: items.map((i) => i.count), backgroundColor: color }],
              },
              options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
            }
          : null,
        "No complaints in this period.",
      );
    const b = c.breaches;
    const refunds = c.remedies.refunds.map((r) => `${r.total.toLocaleString()} ${r.currency}`).join(" · ") || "none";
    const list = (rows: Array<[string, string]>, empty: string) =>
      reportTable<[string, string]>(
        [
          { label: "", cell: ([k]) => k },
          { label: "", class: "num", cell: ([, v]) => v },
        ],
        rows,
        empty,
        { header: false },
      );
    return [
      h(
        "section",
        { class: "panel panel-wide", dataset: { panel: "complaints" } },
        h("h2", null, "Complaints"),
        h(
          "p",
          { class: "panel-sub muted" },
          "Cases received in the period. Times count as the case clocks do: from the day after receipt, working days on the jurisdiction's calendar.",
        ),
        h(
          "div",
          { class: "stats" },
          stat("Cases", c.total.toLocaleString(), plural(c.repeatComplainants.count, "repeat complainant", "repeat complainants")),
          stat("To acknowledge", days(c.timeToAcknowledge), sub(c.timeToAcknowledge)),
          stat("To final response", days(c.timeToFinalResponse), sub(c.timeToFinalResponse)),
          stat(
            "Breaches",
            `${b.acknowledge.breached + b.finalResponse.breached}`,
            `acknowledge ${b.acknowledge.breached}/${b.acknowledge.clocks} (${percent(b.acknowledge.share)}) · final ${b.finalResponse.breached}/${b.finalResponse.clocks} (${percent(b.finalResponse.share)})`,
          ),
          stat(
            "Remedies",
            refunds,
            `${plural(c.remedies.apologies, "apology", "apologies")} · ${plural(c.remedies.processChanges, "process change", "process changes")}`,
          ),
        ),
        h(
          "div",
          { class: "report-panels" },
          h(
            "div",
            { dataset: { list: "root-causes" } },
            h("h3", null, "Root causes"),
            list(
              [
                ...c.rootCauses.items.slice(0, 10).map((r): [string, string] => [r.rootCause, String(r.count)]),
                ...(c.rootCauses.notRecorded ? [["Not recorded", String(c.rootCauses.notRecorded)] as [string, string]] : []),
                ...(c.rootCauses.anonymised ? [["Anonymised (retention)", String(c.rootCauses.anonymised)] as [string, string]] : []),
              ],
              "No complaints in this period.",
            ),
          ),
          h(
            "div",
            { dataset: { list: "repeat-complainants" } },
            h("h3", null, "Repeat complainants"),
            list(
              c.repeatComplainants.items.map((r): [string, string] => [
                `${r.name ?? "Unnamed customer"} (${r.references.join(", ")})`,
                String(r.cases),
              ]),
              "No customer complained twice in this period.",
            ),
          ),
        ),
      ),
      bars("complaints-category", "Complaints by category", c.byCategory, CHART_COLORS.brand),
      bars("complaints-product", "Complaints by product", c.byProduct, CHART_COLORS.bot),
      this.panel(
        "complaints-breaches",
        "Complaint clocks missed",
        b.acknowledge.clocks + b.finalResponse.clocks
          ? {
              type: "bar",
              data: {
                labels: ["Acknowledgement", "Final response"],
                datasets: [
                  {
                    label: "Met or running",
                    data: [b.acknowledge.clocks - b.acknowledge.breached, b.finalResponse.clocks - b.finalResponse.breached],
                    backgroundColor: CHART_COLORS.green,
                    stack: "s",
                  },
                  {
                    label: "Missed",
                    data: [b.acknowledge.breached, b.finalResponse.breached],
                    backgroundColor: CHART_COLORS.red,
                    stack: "s",
                  },
                ],
              },
              options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
            }
          : null,
        "No complaints in this period.",
      ),
    ];
  }

  /** Attainment per policy: of the conversations whose clocks started in the period, how many met each target. */
  private slaPanel(items: SlaAttainment[] | null): HTMLElement | null {
    if (!items) return null;
    type Target = { met: number; missed: number; rate: number | null };
    const target = (label: string, pick: (p: SlaAttainment) => Target): ReportColumn<SlaAttainment> => ({
      label,
      class: "num",
      title: (p) => `${pick(p).met} met · ${pick(p).missed} missed`,
      cell: (p) => {
        const t = pick(p);
        return t.rate === null ? "—" : `${percent(t.rate)} (${t.met}/${t.met + t.missed})`;
      },
    });
    return h(
      "section",
      { class: "panel panel-wide", dataset: { panel: "sla" } },
      h("h2", null, "Service levels by policy"),
      h(
        "p",
        { class: "panel-sub muted" },
        "Conversations that met each target of the policy that applied, among those where it was met or missed (a target still running is neither).",
      ),
      reportTable(
        [
          { label: "Policy", cell: (p) => [p.policy, p.active ? null : h("span", { class: "muted" }, " (retired)")] },
          { label: "Conversations", class: "num", cell: (p) => String(p.conversations) },
          target("First response", (p) => p.firstResponse),
          target("Next response", (p) => p.nextResponse),
          target("Resolution", (p) => p.resolution),
        ],
        items,
        "No conversation was measured against an SLA policy in this period.",
        { rowData: (p) => ({ policy: p.policyId }) },
      ),
    );
  }

  /**
   * The questions the assistant could not answer, or answered unhelpfully, most frequent
   * first: what the knowledge base is missing, and which passages need fixing.
   */
  private unansweredPanel(items: UnansweredQuestion[]): HTMLElement {
    return h(
      "section",
      { class: "panel panel-wide", dataset: { panel: "unanswered" } },
      h("h2", null, "Top unanswered questions"),
      h(
        "p",
        { class: "panel-sub muted" },
        "Customer messages the assistant declined, and those whose answer the customer marked not helpful (with the passage used), grouped by wording — candidates for the knowledge base.",
      ),
      reportTable(
        [
          { label: "Question", class: "q-text", cell: (q) => q.text },
          { label: "Times", class: "num", cell: (q) => String(q.count) },
          { label: "Why", class: "nowrap", cell: (q) => (q.reason === "not_helpful" ? "👎 Not helpful" : "Declined") },
          {
            label: "Passage used",
            class: "q-text",
            cell: (q) =>
              (q.passages ?? []).length
                ? (q.passages ?? []).map((p) => h("div", { title: p.path }, sourceLabel(p.title, p.heading) || p.path))
                : h("span", { class: "muted" }, "—"),
          },
          { label: "Last seen", class: "muted nowrap", cell: (q) => dateTime(q.lastSeen) },
        ],
        items,
        "The assistant answered every question in this period, and no answer was marked unhelpful.",
        { rowData: (q) => ({ reason: q.reason ?? "declined" }) },
      ),
    );
  }
}
