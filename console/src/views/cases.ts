import type { Directory, Session } from "../consoleHost.ts";
import { CASE_SEVERITIES, CASE_TRANSITIONS, ESCALATION_BODIES } from "../../../shared/wire/index.ts";
import type {
  Case,
  CaseClockState,
  CaseDetail,
  CaseDetails,
  CaseListItem,
  CaseStatus,
  CaseTaxonomyEntry,
  DisputedTransactionDetails,
  EscalationBody,
} from "../../../shared/wire/index.ts";
import { api, errorMessage, withQuery } from "../api.ts";
import { h, replace, type Child } from "../dom.ts";
import { dateTime } from "../format.ts";
import { button, emptyState, spinner, toast } from "../ui.ts";
import { CASE_VIEWS, type CaseView } from "../routes.ts";

/** Shown in place of the summary of a case retention anonymised (retention/anonymiseCase.ts). */
const ANONYMISED = "Anonymised by retention: the case's text was removed after its retention period.";

const STATUS_LABELS: Record<CaseStatus, string> = {
  received: "Received",
  acknowledged: "Acknowledged",
  investigating: "Investigating",
  final_response: "Final response sent",
  closed: "Closed",
  reopened: "Reopened",
  escalated: "Escalated",
};
/** A status's label; a timeline entry's status is read from stored event data. */
const statusLabel = (s: unknown): string => STATUS_LABELS[s as CaseStatus] ?? String(s);
/** Where an agent may move a case from each status: the server's transitions, less the final response, which only sending its letter reaches. */
const nextStatuses = (s: CaseStatus): CaseStatus[] => CASE_TRANSITIONS[s].filter((to) => to !== "final_response");
const isEscalationBody = (s: string | null): s is EscalationBody => (ESCALATION_BODIES as readonly (string | null)[]).includes(s);
const CLOCK_LABELS: Record<CaseClockState, string> = {
  running: "On time",
  near_breach: "Due soon",
  breached: "Breached",
  met: "Met",
  met_late: "Met late",
};
const EVENT_LABELS: Record<string, string> = {
  received: "Complaint received",
  clock_provisional: "Deadline counted in calendar days",
  owner_changed: "Owner changed",
  classified: "Classified",
  outcome_recorded: "Outcome recorded",
  status_changed: "Status changed",
  deadline_extended: "Deadline extended (approved)",
  letter_sent: "Letter sent",
  conversation_linked: "Conversation linked",
  clock_alert: "Clock alert",
};

const JURISDICTION_LABELS: Record<string, string> = {
  cn: "Mainland China",
  uk: "United Kingdom",
  us: "United States",
  custom: "Custom policy",
};

/** The disputed payment of a case the assistant opened for one, if this case is such a dispute. */
export function disputeOf(details: CaseDetails): DisputedTransactionDetails | null {
  return details.kind === "disputed_transaction" ? (details as DisputedTransactionDetails) : null;
}

/** "CNY 3,280.00" in the agent's locale, whatever the currency (an unknown code is shown as it is). */
function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, currencyDisplay: "code" }).format(amount);
  } catch {
    return `${currency} ${amount.toFixed(2)}`;
  }
}

/** The disputed transaction, labelled field by field (the case's summary says it in a sentence). */
function disputeFacts(d: DisputedTransactionDetails): HTMLElement {
  return h(
    "dl",
    { class: "facts facts-compact case-dispute", dataset: { transactionId: d.transactionId } },
    h("dt", null, "Amount"),
    h("dd", { dataset: { disputeField: "amount" } }, money(d.amount, d.currency)),
    h("dt", null, "Merchant"),
    h("dd", { dataset: { disputeField: "merchant" } }, d.merchant),
    h("dt", null, "Posted on"),
    h("dd", { dataset: { disputeField: "date" } }, d.date),
    d.account ? [h("dt", null, "Account"), h("dd", { dataset: { disputeField: "account" } }, d.account)] : null,
    h("dt", null, "Transaction id"),
    h("dd", { class: "mono", dataset: { disputeField: "transactionId" } }, d.transactionId),
  );
}

export function clockBadge(state: CaseClockState): HTMLElement {
  return h("span", { class: `case-clock case-clock-${state}` }, CLOCK_LABELS[state]);
}

/**
 * Complaint cases: the views (mine, team, due soon, breached), and the case page with
 * its clocks, owner, status, extension with a supervisor's approval, classification,
 * outcome, letters, linked conversations and the timeline of every step.
 */
export class CasesPage {
  readonly el = h("main", { class: "cases", "aria-label": "Complaint cases" });
  private readonly listEl = h("div", { class: "cases-list" });
  private readonly detailEl = h("section", { class: "cases-detail", "aria-label": "Case" });
  private view: CaseView = "mine";
  private openId: string | null = null;
  private taxonomy: CaseTaxonomyEntry[] | null = null;
  private items: CaseListItem[] = [];
  /**
   * What the user is typing in a case's free-text fields, by case and field: the case
   * page is drawn again whenever the case changes (here or, by socket, elsewhere), and
   * a redraw must not throw away a half-written decision or extension reason.
   */
  private readonly drafts = new Map<string, string>();

  constructor(private readonly app: Session & Directory) {
    replace(this.el, h("div", { class: "cases-column" }, this.listEl), this.detailEl);
  }

  async show(view: CaseView, id: string | null): Promise<void> {
    this.view = view;
    this.openId = id;
    if (!this.taxonomy)
      this.taxonomy = await api.get<{ items: CaseTaxonomyEntry[] }>("/case-taxonomy").then(
        (r) => r.items,
        () => [],
      );
    await this.loadList();
    if (id) await this.loadCase(id);
    else
      replace(
        this.detailEl,
        emptyState("inbox", "Choose a case", "Cases are opened by the assistant when a customer complains, or from a conversation."),
      );
  }

  /** A case changed somewhere (socket event): refresh what is on screen. */
  onCase(c: Case): void {
    if (!this.el.isConnected || !this.el.offsetParent) return;
    void this.loadList();
    if (this.openId === c.id) void this.loadCase(c.id);
  }

  private async loadList(): Promise<void> {
    const tabs = h(
      "div",
      { class: "segmented cases-views", role: "tablist" },
      CASE_VIEWS.map(([id, label]) =>
        h(
          "button",
          {
            type: "button",
            role: "tab",
            class: id === this.view ? "active" : "",
            "aria-selected": String(id === this.view),
            dataset: { caseView: id },
            onclick: () => this.app.navigate({ page: "cases", view: id, id: null }),
          },
          label,
        ),
      ),
    );
    replace(this.listEl, h("div", { class: "cases-header" }, h("h1", null, "Complaint cases"), tabs), spinner());
    try {
      this.items = (await api.get<{ items: CaseListItem[] }>(withQuery("/cases", { view: this.view }))).items;
    } catch (err) {
      replace(
        this.listEl,
        h("div", { class: "cases-header" }, h("h1", null, "Complaint cases"), tabs),
        emptyState("alert", "Could not load cases", errorMessage(err)),
      );
      return;
    }
    replace(
      this.listEl,
      h("div", { class: "cases-header" }, h("h1", null, "Complaint cases"), tabs),
      this.items.length
        ? h(
            "ul",
            { class: "case-items" },
            this.items.map((c) =>
              h(
                "li",
                null,
                h(
                  "a",
                  {
                    href: `/console/cases/${this.view}/${c.id}`,
                    class: `case-item${c.id === this.openId ? " active" : ""}`,
                    dataset: { reference: c.reference },
                    onclick: (e: MouseEvent) => {
                      e.preventDefault();
                      this.app.navigate({ page: "cases", view: this.view, id: c.id });
                    },
                  },
                  h(
                    "div",
                    { class: "case-item-top" },
                    h("strong", null, c.reference),
                    h(
                      "span",
                      { class: "case-item-badges" },
                      disputeOf(c.details) ? h("span", { class: "case-kind", dataset: { caseKind: "dispute" } }, "Dispute") : null,
                      clockBadge(c.clocks.finalResponse.state),
                    ),
                  ),
                  h("div", { class: "case-item-summary" }, c.anonymisedAt ? ANONYMISED : c.summary),
                  h(
                    "div",
                    { class: "case-item-meta muted" },
                    `${STATUS_LABELS[c.status]} · due ${c.clocks.finalResponse.dueDate} · ${c.ownerName ?? "no owner"}`,
                  ),
                ),
              ),
            ),
          )
        : emptyState("inbox", "No cases here"),
    );
  }

  private async loadCase(id: string): Promise<void> {
    try {
      const c = await api.get<CaseDetail>(`/cases/${id}`);
      if (this.openId !== id) return;
      this.renderCase(c);
    } catch (err) {
      replace(this.detailEl, emptyState("alert", "Could not open the case", errorMessage(err)));
    }
  }

  /** A text area whose text survives the case page being drawn again (see `drafts`). */
  private draftArea(caseId: string, attrs: { name: string; rows: number; placeholder: string }): HTMLTextAreaElement {
    const key = `${caseId}:${attrs.name}`;
    return h("textarea", {
      class: "input",
      ...attrs,
      value: this.drafts.get(key) ?? "",
      oninput: (e: Event) => this.drafts.set(key, (e.target as HTMLTextAreaElement).value),
    });
  }

  /** Runs a case action, then shows the case as the server returned it; its draft (if any) is done with. */
  private async run(p: Promise<unknown>, done: string, draft?: { caseId: string; name: string }): Promise<boolean> {
    try {
      await p;
      if (draft) this.drafts.delete(`${draft.caseId}:${draft.name}`);
      toast(done, { kind: "success", timeout: 2500 });
      if (this.openId) await this.loadCase(this.openId);
      void this.loadList();
      return true;
    } catch (err) {
      toast(errorMessage(err), { kind: "error", title: "That didn't work" });
      return false;
    }
  }

  private renderCase(c: CaseDetail): void {
    const app = this.app;
    const fr = c.clocks.finalResponse;
    const isAdmin = app.me.role === "admin";
    const dispute = disputeOf(c.details);
    const section = (title: string, ...children: Child[]) =>
      h("div", { class: "case-section" }, h("h3", { class: "details-heading" }, title), ...children);
    const name = (e: CaseTaxonomyEntry) => (c.language === "zh" ? `${e.nameEn} · ${e.nameZh}` : e.nameEn);
    const select = (kind: "category" | "product", value: string | null) =>
      h(
        "select",
        { class: "input", name: kind, "aria-label": kind === "category" ? "Category" : "Product", value: value ?? "" },
        h("option", { value: "" }, "—"),
        (this.taxonomy ?? []).filter((t) => t.kind === kind).map((t) => h("option", { value: t.id }, name(t))),
      );

    // Owner: the agents the policy refuses (they handled the conversation) are shown but disabled.
    const ownerSelect = h(
      "select",
      { class: "input", "aria-label": "Owner", value: c.ownerId ?? "" },
      h("option", { value: "" }, "No owner"),
      (app.agents ?? [])
        .filter((a) => a.role !== "content")
        .map((a) =>
          h(
            "option",
            { value: a.id, disabled: c.handlerIds.includes(a.id) },
            c.handlerIds.includes(a.id) ? `${a.name} (handled the conversation)` : a.name,
          ),
        ),
    );
    ownerSelect.addEventListener(
      "change",
      () => void this.run(api.post(`/cases/${c.id}/owner`, { ownerId: ownerSelect.value || null }), "Owner changed"),
    );

    const statusButtons = nextStatuses(c.status).map((s) =>
      button(STATUS_LABELS[s], {
        small: true,
        attrs: { dataset: { caseStatus: s } },
        onClick: () => {
          if (s === "escalated") {
            const to = prompt(`Escalated to: ${ESCALATION_BODIES.join(" or ")}?`, "regulator");
            if (!isEscalationBody(to)) return;
            void this.run(api.post(`/cases/${c.id}/status`, { status: s, escalatedTo: to }), "Case escalated");
          } else void this.run(api.post(`/cases/${c.id}/status`, { status: s }), `Case ${STATUS_LABELS[s].toLowerCase()}`);
        },
      }),
    );

    const extensionReason = this.draftArea(c.id, {
      rows: 2,
      name: "extensionReason",
      placeholder: "Why more time is needed (recorded with your approval)",
    });
    const extension =
      c.extensionsLeft > 0 && !fr.doneAt
        ? isAdmin
          ? h(
              "div",
              { class: "case-form" },
              extensionReason,
              button("Approve extension", {
                small: true,
                kind: "primary",
                attrs: { dataset: { action: "extend" } },
                onClick: () =>
                  void this.run(
                    api.post(`/cases/${c.id}/extensions`, { reason: extensionReason.value, requestedById: c.ownerId }),
                    "Deadline extended",
                    { caseId: c.id, name: "extensionReason" },
                  ),
              }),
            )
          : h("p", { class: "muted" }, "An extension needs a supervisor's approval: ask an admin to approve it on this page.")
        : h(
            "p",
            { class: "muted" },
            fr.doneAt ? "The final response has been sent." : `The ${c.jurisdiction.toUpperCase()} rule allows no more extensions.`,
          );

    const catSelect = select("category", c.categoryId);
    const prodSelect = select("product", c.productId);
    const severity = h(
      "select",
      { class: "input", "aria-label": "Severity", value: c.severity },
      CASE_SEVERITIES.map((s) => h("option", { value: s }, s)),
    );
    const rootCause = h("textarea", { class: "input", rows: 2, name: "rootCause", placeholder: "Root cause", value: c.rootCause ?? "" });
    const refund = h("input", {
      class: "input",
      type: "number",
      min: 0,
      step: "0.01",
      name: "refundAmount",
      placeholder: "Refund",
      value: c.remedy.refundAmount ?? "",
    });
    const currency = h("input", {
      class: "input",
      name: "currency",
      maxlength: 3,
      value: c.remedy.currency ?? "CNY",
      style: { width: "5em" },
    });
    const apology = h("input", { type: "checkbox", name: "apology", checked: Boolean(c.remedy.apology) });
    const processChange = h("input", {
      class: "input",
      name: "processChange",
      placeholder: "Process change",
      value: c.remedy.processChange ?? "",
    });
    const saveOutcome = () =>
      void this.run(
        api.patch(`/cases/${c.id}`, {
          categoryId: catSelect.value || null,
          productId: prodSelect.value || null,
          severity: severity.value,
          rootCause: rootCause.value.trim() || null,
          remedy: {
            ...(refund.value ? { refundAmount: Number(refund.value), currency: currency.value.toUpperCase() } : {}),
            ...(apology.checked ? { apology: true } : {}),
            ...(processChange.value.trim() ? { processChange: processChange.value.trim() } : {}),
          },
        }),
        "Case saved",
      );

    const decision = this.draftArea(c.id, {
      rows: 4,
      name: "decision",
      placeholder: "What you found and decided (goes into the letter, in the customer's language)",
    });
    const letters = h(
      "div",
      { class: "case-form" },
      c.status === "received"
        ? button("Send acknowledgement", {
            small: true,
            attrs: { dataset: { action: "acknowledge" } },
            onClick: () => void this.run(api.post(`/cases/${c.id}/letters`, { kind: "acknowledgement" }), "Acknowledgement sent"),
          })
        : null,
      fr.doneAt
        ? h("p", { class: "muted" }, `Final response sent ${dateTime(fr.doneAt)}.`)
        : [
            decision,
            button("Send final response", {
              small: true,
              kind: "primary",
              attrs: { dataset: { action: "final-response" } },
              onClick: () =>
                void this.run(
                  api.post(`/cases/${c.id}/letters`, { kind: "final_response", decision: decision.value }),
                  "Final response sent",
                  { caseId: c.id, name: "decision" },
                ),
            }),
          ],
    );

    replace(
      this.detailEl,
      h(
        "header",
        { class: "case-head" },
        h(
          "div",
          null,
          h("h2", { class: "case-ref" }, c.reference),
          h("div", { class: "muted" }, `${c.contact.name ?? "Customer"} · ${c.language === "zh" ? "中文" : "English"} · ${c.rule}`),
        ),
        h("span", { class: `case-status case-status-${c.status}`, dataset: { status: c.status } }, STATUS_LABELS[c.status]),
      ),
      h("p", { class: "case-summary" }, c.anonymisedAt ? ANONYMISED : c.summary),
      h(
        "dl",
        { class: "facts facts-compact case-facts" },
        h("dt", null, "Rules"),
        h("dd", { dataset: { jurisdiction: c.jurisdiction } }, JURISDICTION_LABELS[c.jurisdiction] ?? c.jurisdiction),
        h("dt", null, "Received"),
        h("dd", null, dateTime(c.receivedAt)),
        c.clocks.acknowledge
          ? [
              h("dt", null, "Acknowledge by"),
              h("dd", null, dateTime(c.clocks.acknowledge.dueAt), " ", clockBadge(c.clocks.acknowledge.state)),
            ]
          : null,
        h("dt", null, "Final response by"),
        h(
          "dd",
          { class: "case-due", dataset: { dueDate: fr.dueDate } },
          `${fr.dueDate} (${fr.limit ? `${fr.limit.days} ${fr.limit.unit} days` : "limit unknown"}${c.extensions ? `, extended ${c.extensions}×` : ""}) `,
          clockBadge(fr.state),
        ),
        h("dt", null, "Owner"),
        h("dd", null, ownerSelect),
        c.escalatedTo ? [h("dt", null, "Escalated to"), h("dd", null, c.escalatedTo)] : null,
      ),
      dispute ? section("Disputed transaction", disputeFacts(dispute)) : null,
      section("Status", h("div", { class: "case-actions" }, statusButtons)),
      section("Deadline extension", extension),
      section(
        "Classification and outcome",
        h("div", { class: "case-grid" }, catSelect, prodSelect, severity),
        rootCause,
        h("div", { class: "case-grid" }, refund, currency, h("label", { class: "case-check" }, apology, " Apology"), processChange),
        button("Save", { small: true, onClick: saveOutcome, attrs: { dataset: { action: "save-outcome" } } }),
      ),
      section("Letters", letters),
      section(
        "Linked conversations",
        h(
          "ul",
          { class: "case-links" },
          c.conversations.map((v) =>
            h(
              "li",
              null,
              h(
                "a",
                {
                  href: `/console/all/${v.id}`,
                  onclick: (e: MouseEvent) => {
                    e.preventDefault();
                    app.navigate({ page: "inbox", view: "all", id: v.id });
                  },
                },
                `#${v.displayId}`,
              ),
              ` ${v.inbox} (${v.channel}) · ${v.status}`,
            ),
          ),
        ),
      ),
      section(
        "Timeline",
        h(
          "ol",
          { class: "case-timeline" },
          c.timeline.map((e) =>
            h(
              "li",
              { dataset: { kind: e.kind } },
              h(
                "div",
                { class: "case-event-head" },
                h("strong", null, EVENT_LABELS[e.kind] ?? e.kind),
                h("span", { class: "muted" }, ` · ${dateTime(e.createdAt)} · ${actorLabel(e.actor)}`),
              ),
              eventDetail(e),
            ),
          ),
        ),
      ),
    );
  }
}

function actorLabel(a: { type: string; name: string | null }): string {
  if (a.type === "agent") return a.name ?? "An agent";
  if (a.type === "bot") return "Assistant";
  if (a.type === "system") return "BankDesk";
  return "Customer";
}

function eventDetail(e: { kind: string; data: Record<string, unknown> }): Child {
  const d = e.data;
  const line = (text: string) => h("div", { class: "case-event-detail" }, text);
  switch (e.kind) {
    case "received":
      return line(`Via ${String(d.source)}; final response due ${String(d.dueDate)} (${String(d.rule)})`);
    case "status_changed":
      return line(
        `${statusLabel(d.from)} → ${statusLabel(d.to)}${d.note ? `: ${String(d.note)}` : ""}${d.escalatedTo ? ` (${String(d.escalatedTo)})` : ""}`,
      );
    case "deadline_extended":
      return line(`New deadline ${String(d.dueDate)}. Reason: ${String(d.reason)}`);
    case "letter_sent":
      return [
        line(d.letter === "final_response" ? "Final response" : "Acknowledgement"),
        h("pre", { class: "case-letter" }, String(d.text ?? "")),
      ];
    case "clock_alert":
      return line(
        `${d.clock === "acknowledge" ? "Acknowledgement" : "Final response"}: ${d.level === "breach" ? "deadline passed" : "80 % of the time used"}`,
      );
    case "classified":
    case "outcome_recorded":
      return line(Object.keys((d.changes as Record<string, unknown>) ?? {}).join(", "));
    case "clock_provisional":
      return line(String(d.reason));
    default:
      return null;
  }
}
