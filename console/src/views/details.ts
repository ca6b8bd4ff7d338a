import type { Conversations, Directory, Session } from "../consoleHost.ts";
import { api, errorMessage } from "../api.ts";
import { h, replace, type Child } from "../dom.ts";
import { ago, contactName, dateTime, sectionOf, sourceLabel, STATUS_LABELS } from "../format.ts";
import { icon, type IconName } from "../icons.ts";
import type {
  AnswerPreview,
  BankingError,
  ContactProfile,
  ConversationVerification,
  CustomerBanking,
  Case,
  Contact,
  ContactMerge,
  ContactMergeResult,
  Conversation,
  KnowledgeSearchResult,
  MoodTrend,
  Vulnerability,
  VulnerabilityKind,
} from "../types.ts";
import { confirmAction, field, formModal, select, textarea } from "./admin/kit.ts";
import { renderMarkdown } from "../markdown.ts";
import { isDispute, openComplaints } from "../openComplaints.ts";
import { clockBadge } from "./cases.ts";
import { avatar, emptyState, sentimentMarker, spinner, statusPill, verifiedBadge, toast } from "../ui.ts";

type Tab = "customer" | "knowledge";

/** The customer as the panel shows them: GET /contacts/{id} (the survivor's, when the conversation's contact was merged away), or why it could not be loaded. */
type Profile = Partial<Omit<ContactProfile, "contact" | "conversations">> & {
  contact: Contact | null;
  conversations: Conversation[];
  /** The contact the conversation names was merged into this one: the profile shown is the survivor's. */
  mergedFrom?: string;
  error?: string;
};

const BANKING_ERRORS: Record<BankingError, string> = {
  core_banking_unavailable: "The bank's core system isn't answering, so accounts and cards can't be shown. Try again shortly.",
  access_log_unavailable: "Accounts are withheld: this view could not be recorded in the access log. Try again shortly.",
};
const CARD_STATUS: Record<CustomerBanking["cards"][number]["status"], string> = {
  active: "Active",
  frozen: "Frozen",
  cancelled: "Cancelled",
};
const money = (amount: number, currency: string) =>
  new Intl.NumberFormat("en-GB", { style: "currency", currency, currencyDisplay: "narrowSymbol" }).format(amount);

const VULNERABILITY_LABELS: Record<VulnerabilityKind, string> = {
  bereavement: "Bereavement",
  illness: "Illness",
  financial_difficulty: "Financial difficulty",
  elderly: "Elderly",
  other: "Other",
};

/** A label for an average of scores, at the analyzer's English bands (an average has no language of its own). */
const moodLabel = (score: number) => (score <= -0.15 ? "negative" : score >= 0.35 ? "positive" : "neutral");
const TREND_LABELS: Record<MoodTrend, string> = { worsening: "Getting worse", stable: "Steady", improving: "Getting better" };

/** The right column: who the customer is, this conversation's facts and labels, and knowledge search. */
export class DetailsPanel {
  readonly el = h("aside", { class: "details", "aria-label": "Customer details" });
  private tab: Tab = "customer";
  private conv: Conversation | null = null;
  private visible = false;
  private readonly profiles = new Map<string, Profile | "loading">();
  /** How each conversation's customer is verified, keyed by conversation and its last activity (a passed code is a new activity). */
  private readonly verifications = new Map<string, ConversationVerification | "loading" | "error">();
  private readonly body = h("div", { class: "details-body" });
  private readonly tabs: HTMLElement;
  private readonly kbInput: HTMLInputElement;
  private readonly kbResults = h("div", { class: "kb-results" });
  /** What the assistant would answer to the typed question (asked on demand: with a model, each costs a call). */
  private readonly kbPreview = h("div", { class: "kb-preview", "aria-live": "polite" });
  private kbSeq = 0;
  private previewSeq = 0;
  /** Kept across re-renders so live updates don't eat a label being typed. */
  private readonly labelInput: HTMLInputElement = h("input", {
    class: "input input-sm",
    placeholder: "Add label…",
    "aria-label": "Add a label",
    maxlength: 50,
    onkeydown: (e: KeyboardEvent) => void this.addLabel(e),
  });
  private kbTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly app: Session & Directory & Conversations,
    onClose: () => void,
  ) {
    const tabBtn = (t: Tab, label: string, ic: IconName) =>
      h("button", { type: "button", role: "tab", class: "tab", dataset: { tab: t }, onclick: () => this.setTab(t) }, icon(ic, 13), label);
    this.tabs = h(
      "div",
      { class: "tabs details-tabs", role: "tablist" },
      tabBtn("customer", "Customer", "user"),
      tabBtn("knowledge", "Knowledge", "book"),
      h(
        "button",
        { type: "button", class: "btn btn-ghost btn-icon btn-sm details-close", "aria-label": "Close details", onclick: onClose },
        icon("x", 14),
      ),
    );
    this.kbInput = h("input", {
      type: "search",
      class: "input",
      placeholder: "Search the knowledge base…",
      "aria-label": "Search the knowledge base",
      oninput: () => {
        clearTimeout(this.kbTimer);
        this.kbTimer = setTimeout(() => void this.searchKnowledge(), 300);
      },
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === "Enter") {
          clearTimeout(this.kbTimer);
          void this.searchKnowledge();
        }
      },
    });
    replace(this.el, this.tabs, this.body);
    this.setTab("customer");
  }

  setConversation(c: Conversation, visible: boolean): void {
    this.conv = c;
    const cid = c.contactId ?? c.contact?.id;
    if (cid && this.profiles.get(cid) !== "loading") this.profiles.delete(cid);
    this.visible = visible;
    if (visible) this.render();
  }

  setVisible(v: boolean): void {
    this.visible = v;
    if (v) this.render();
  }

  update(c: Conversation): void {
    this.conv = c;
    if (this.visible && this.tab === "customer") this.render();
  }

  private setTab(t: Tab): void {
    this.tab = t;
    this.tabs.querySelectorAll<HTMLElement>(".tab").forEach((b) => {
      b.classList.toggle("active", b.dataset.tab === t);
      b.setAttribute("aria-selected", String(b.dataset.tab === t));
    });
    this.render();
    if (t === "knowledge") this.kbInput.focus();
  }

  private async addLabel(e: KeyboardEvent): Promise<void> {
    const c = this.conv;
    if (e.key !== "Enter" || e.isComposing || !c) return;
    e.preventDefault();
    const v = this.labelInput.value.trim().toLowerCase().replace(/\s+/g, "-");
    if (!v) return;
    if (c.labels.includes(v)) {
      this.labelInput.value = "";
      return;
    }
    if (c.labels.length >= 20) return toast("A conversation can have at most 20 labels", { kind: "error" });
    const updated = await this.app.act(api.patch<Conversation>(`/conversations/${c.id}`, { labels: [...c.labels, v] }));
    if (updated) this.labelInput.value = "";
  }

  private render(): void {
    const hadFocus = document.activeElement === this.labelInput;
    this.renderBody();
    if (hadFocus && this.labelInput.isConnected) this.labelInput.focus();
  }

  private renderBody(): void {
    if (this.tab === "knowledge") {
      replace(
        this.body,
        h("div", { class: "kb-search" }, icon("search", 14, "search-icon"), this.kbInput),
        h(
          "button",
          { type: "button", class: "btn btn-secondary btn-sm kb-ask", onclick: () => void this.previewAnswer() },
          icon("sparkle", 12),
          " What would the assistant answer?",
        ),
        this.kbPreview,
        this.kbResults.childElementCount
          ? this.kbResults
          : (replace(
              this.kbResults,
              h(
                "div",
                { class: "details-hint" },
                "Search the policies and product pages the assistant answers from. Insert a passage into your reply.",
              ),
            ),
            this.kbResults),
      );
      return;
    }
    const c = this.conv;
    if (!c) return;
    const contactId = c.contactId ?? c.contact?.id;
    const profile = contactId ? this.profiles.get(contactId) : undefined;
    if (contactId && profile === undefined) void this.loadProfile(contactId);
    replace(
      this.body,
      this.customerSection(c, profile),
      this.openCasesSection(profile),
      this.segmentsSection(profile),
      this.bankingSection(c, profile),
      this.vulnerabilitySection(c, profile),
      this.moodSection(c, profile),
      this.satisfactionSection(profile),
      this.conversationSection(c),
      this.historySection(c, profile),
    );
  }

  private verificationKey(c: Conversation): string {
    return `${c.id}:${c.lastActivityAt}`;
  }

  private async loadVerification(c: Conversation): Promise<void> {
    const key = this.verificationKey(c);
    this.verifications.set(key, "loading");
    let v: ConversationVerification | "error";
    try {
      v = await api.get<ConversationVerification>(`/conversations/${c.id}/verification`);
    } catch {
      v = "error";
    }
    // Older entries of this conversation are stale now.
    for (const k of this.verifications.keys()) if (k.startsWith(`${c.id}:`) && k !== key) this.verifications.delete(k);
    this.verifications.set(key, v);
    if (this.visible && this.conv?.id === c.id) this.render();
  }

  /**
   * How the customer is verified: the signed page identity, and a step-up by one-time
   * code (channel, where, when, until when it counts) or one under way or locked.
   */
  private verificationFacts(c: Conversation): HTMLElement | null {
    const key = this.verificationKey(c);
    const v = this.verifications.get(key);
    if (v === undefined) void this.loadVerification(c);
    if (v === undefined || v === "loading" || v === "error") return null;
    const via = { sms: "SMS", email: "e-mail", demo_phone: "demo phone" } as const;
    const lines: Child[] = [
      h("dt", null, icon("shield", 12), "Page identity"),
      h("dd", null, v.identity === "signed" ? "Signed by the bank's site" : "Not signed in"),
    ];
    if (v.stepUp) {
      const stepUpText =
        `Code by ${via[v.stepUp.channel]} to ${v.stepUp.destination} at ${dateTime(v.stepUp.verifiedAt)}` +
        (v.stepUp.current ? ` (counts until ${dateTime(v.stepUp.validUntil)})` : " (expired)");
      lines.push(
        h("dt", null, icon("key", 12), "Step-up"),
        h("dd", { class: v.stepUp.current ? "" : "muted", title: stepUpText }, stepUpText),
      );
    } else if (v.identity === "signed") {
      lines.push(h("dt", null, icon("key", 12), "Step-up"), h("dd", { class: "muted" }, "No one-time code passed in this conversation"));
    }
    if (v.pending && v.pending.status !== "superseded") {
      const state =
        v.pending.status === "pending"
          ? `waiting for the code (${v.pending.attemptsLeft} attempts left)`
          : v.pending.status === "locked"
            ? "locked after too many wrong codes"
            : v.pending.status === "undelivered"
              ? "the code could not be sent"
              : "the code expired";
      // A bank tool by the label the customer read, a built-in action by its name.
      const asked = `${v.pending.action ?? v.pending.purpose.replace(/_/g, " ")}: ${state}`;
      lines.push(h("dt", null, icon("clock", 12), "Code asked"), h("dd", { title: asked }, asked));
    }
    return h("dl", { class: "facts facts-contact facts-verification", "aria-label": "Verification" }, lines);
  }

  private async loadProfile(contactId: string): Promise<void> {
    this.profiles.set(contactId, "loading");
    let p: Profile;
    try {
      let r = await api.get<ContactProfile>(`/contacts/${contactId}`);
      let mergedFrom: string | undefined;
      // Merged into another contact: that one holds the timeline now (undo is in its history).
      if (r.contact.mergedInto) {
        mergedFrom = r.contact.id;
        r = await api.get<ContactProfile>(`/contacts/${r.contact.mergedInto}`);
      }
      p = { ...r, conversations: r.conversations ?? [], mergedFrom };
    } catch (err) {
      p = { contact: null, conversations: [], error: errorMessage(err) };
    }
    this.profiles.set(contactId, p);
    if (this.visible && (this.conv?.contactId ?? this.conv?.contact?.id) === contactId) this.render();
  }

  private customerSection(c: Conversation, profile: Profile | "loading" | undefined): HTMLElement {
    const contactId = c.contactId ?? c.contact?.id;
    const ref = c.contact ?? (c.contactId ? this.app.contacts.get(c.contactId) : undefined);
    const full = profile && profile !== "loading" ? profile.contact : null;
    const name = contactName(full ?? ref);
    const rows: Array<[IconName, string, string | null | undefined]> = full
      ? [
          ["mail", "E-mail", full.email],
          ["phone", "Phone", full.phone],
          ["hash", "Customer ID", full.externalId],
        ]
      : [];
    const attrs = full?.attributes
      ? Object.entries(full.attributes).filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
      : [];
    return h(
      "section",
      { class: "details-section" },
      h(
        "div",
        { class: "profile" },
        avatar(ref?.id ?? c.id, name, "lg"),
        h(
          "div",
          { class: "profile-main" },
          h("div", { class: "profile-name" }, name),
          h("div", { class: "profile-flags" }, verifiedBadge(Boolean(full?.verified ?? ref?.verified)), this.complaintMarker(profile)),
        ),
      ),
      profile === "loading" || profile === undefined
        ? spinner("Loading profile…")
        : full
          ? h(
              "dl",
              { class: "facts facts-contact" },
              rows.map(([ic, label, value]) => [
                h("dt", null, icon(ic, 12), label),
                h("dd", { class: value ? "" : "muted", title: value || undefined }, value || "—"),
              ]),
              attrs.map(([k, v]) => [h("dt", null, icon("tag", 12), humanize(k)), h("dd", { title: String(v) }, String(v))]),
              full.createdAt ? [h("dt", null, icon("clock", 12), "Customer since"), h("dd", null, dateTime(full.createdAt))] : null,
            )
          : h(
              "div",
              { class: "details-hint details-error" },
              `Couldn't load the profile: ${profile.error ?? "unknown error"}`,
              " ",
              h(
                "button",
                {
                  type: "button",
                  class: "link-btn",
                  onclick: () => {
                    if (contactId) {
                      this.profiles.delete(contactId);
                      this.render();
                    }
                  },
                },
                "Try again",
              ),
            ),
      this.verificationFacts(c),
      full && profile !== "loading" && profile?.mergedFrom
        ? h("div", { class: "callout" }, icon("alert", 13), h("span", null, "This conversation's contact was merged into this customer."))
        : null,
      full
        ? h(
            "div",
            { class: "details-case" },
            h(
              "button",
              {
                type: "button",
                class: "btn btn-secondary btn-sm",
                dataset: { action: "merge-contact" },
                onclick: () => this.mergeInto(full),
              },
              "Merge into…",
            ),
          )
        : null,
      ref && !ref.verified
        ? h(
            "div",
            { class: "callout" },
            icon("alert", 13),
            h("span", null, "Not verified: don't disclose account details until the customer signs in or passes security questions."),
          )
        : null,
    );
  }

  /** "Dispute" or "Open complaint" beside the name: the agent sees it before reading anything else. */
  private complaintMarker(profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading") return null;
    const open = openComplaints(profile.cases, profile.otherOpenCases);
    if (!open.marker) return null;
    return h(
      "span",
      {
        class: `profile-flag ${open.dispute ? "profile-flag-dispute" : "profile-flag-complaint"}`,
        dataset: { complaintMarker: open.dispute ? "dispute" : "complaint" },
        title: "This customer has a complaint that is not closed yet",
      },
      icon("alert", 11),
      open.marker,
    );
  }

  /** The customer segments the customer is in now, as chips (nothing while loading or when in none). */
  private segmentsSection(profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading" || !profile.segments?.length) return null;
    return h(
      "section",
      { class: "details-section", "aria-label": "Customer segments" },
      h("h3", { class: "details-heading" }, "Segments"),
      h(
        "div",
        { class: "labels" },
        profile.segments.map((g) => h("span", { class: "chip", dataset: { segment: g.id } }, g.name)),
      ),
    );
  }

  /**
   * The customer's complaints still running, each with its reference and final-response
   * date (and its clock, so a breach shows), soonest first; a link to the case page.
   * Another team's are only counted: the agent learns one runs, not what it says.
   */
  private openCasesSection(profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading") return null;
    const open = openComplaints(profile.cases, profile.otherOpenCases);
    if (!open.marker) return null;
    return h(
      "section",
      { class: "details-section open-cases", "aria-label": "Open complaints" },
      h("h3", { class: "details-heading" }, open.dispute ? "Open complaints and disputes" : "Open complaints"),
      h(
        "div",
        { class: "history" },
        open.cases.map((k) =>
          h(
            "button",
            {
              type: "button",
              class: "history-item",
              dataset: { openCase: k.id },
              onclick: () => this.app.navigate({ page: "cases", view: "all", id: k.id }),
            },
            h(
              "span",
              { class: "history-top" },
              h("span", { class: "conv-item-id" }, k.reference),
              isDispute(k) ? h("span", { class: "case-kind", dataset: { caseKind: "dispute" } }, "Dispute") : null,
              h("span", { class: "conv-item-spacer" }),
              clockBadge(k.clocks.finalResponse.state),
            ),
            h(
              "span",
              { class: "history-last", dataset: { dueDate: k.clocks.finalResponse.dueDate } },
              `Final response due ${k.clocks.finalResponse.dueDate} · ${humanize(k.status)}`,
            ),
          ),
        ),
      ),
      open.others
        ? h(
            "div",
            { class: "details-hint", dataset: { otherOpenCases: String(open.others) } },
            open.others === 1 ? "1 more open complaint is with another team." : `${open.others} more open complaints are with other teams.`,
          )
        : null,
    );
  }

  /** A case changed (socket event): the customer shown gets their open complaints afresh if it is theirs. */
  caseChanged(k: Case): void {
    const c = this.conv;
    const contactId = c?.contactId ?? c?.contact?.id;
    if (!c || !contactId || !k.contactId) return;
    const profile = this.profiles.get(contactId);
    const shownId = profile && profile !== "loading" ? profile.contact?.id : undefined;
    if (k.contactId !== contactId && k.contactId !== shownId) return;
    if (profile === "loading") return;
    this.profiles.delete(contactId);
    if (this.visible) this.render();
  }

  /**
   * A verified customer's accounts, cards and latest transactions as the bank's core
   * system has them now (the demo bank, or the core at CORE_BANKING_URL); when the core
   * does not answer, that is said instead. Read once per profile: "Refresh" reads again
   * (after the assistant froze a card, say).
   */
  private bankingSection(c: Conversation, profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading" || !profile.contact) return null;
    const b = profile.banking;
    if (!b && !profile.bankingError) return null;
    const refresh = h(
      "button",
      { type: "button", class: "link-btn", dataset: { action: "refresh-banking" }, onclick: () => this.reloadProfile(c) },
      icon("refresh", 12),
      " Refresh",
    );
    const body: Child[] = !b
      ? [h("div", { class: "callout", role: "status" }, icon("alert", 13), h("span", null, BANKING_ERRORS[profile.bankingError!]))]
      : [
          h(
            "ul",
            { class: "banking-list banking-accounts", "aria-label": "Accounts" },
            b.accounts.map((a) =>
              h(
                "li",
                { dataset: { account: a.maskedNumber.slice(-4) } },
                h("span", { title: `${a.name} ${a.maskedNumber}` }, `${a.name} ${a.maskedNumber}`),
                h(
                  "span",
                  { class: "num", title: a.creditLimit !== null ? `Limit ${money(a.creditLimit, a.currency)}` : undefined },
                  money(a.balance, a.currency),
                ),
              ),
            ),
          ),
          h("div", { class: "details-hint" }, "Cards"),
          h(
            "ul",
            { class: "banking-list banking-cards", "aria-label": "Cards" },
            b.cards.map((card) =>
              h(
                "li",
                { dataset: { card: card.last4, status: card.status } },
                `${card.product} •••• ${card.last4} `,
                h("span", { class: `pill pill-card-${card.status}` }, CARD_STATUS[card.status]),
              ),
            ),
          ),
          b.transactions.length
            ? [
                h("div", { class: "details-hint" }, "Latest transactions"),
                h(
                  "ul",
                  { class: "banking-list banking-transactions", "aria-label": "Latest transactions" },
                  b.transactions
                    .slice(0, 5)
                    .map((t) =>
                      h(
                        "li",
                        { title: `${t.accountName}, ${dateTime(t.postedAt)}` },
                        h("span", null, `${t.postedAt.slice(0, 10)} ${t.description}`),
                        h("span", { class: "num" }, money(t.amount, b.accounts.find((a) => a.name === t.accountName)?.currency ?? "CNY")),
                      ),
                    ),
                ),
              ]
            : null,
        ];
    return h(
      "section",
      { class: "details-section", dataset: { section: "banking" } },
      h("h3", { class: "details-heading" }, "Accounts ", refresh),
      body,
    );
  }

  /** Loads the profile again (after a change to the flag or a merge). */
  private reloadProfile(c: Conversation): void {
    const contactId = c.contactId ?? c.contact?.id;
    if (!contactId) return;
    this.profiles.clear();
    void this.loadProfile(contactId);
  }

  /**
   * The vulnerability flag: recorded with the customer's consent, it sends their new
   * conversations to the staff trained for them and makes the assistant hand off sooner.
   */
  private vulnerabilitySection(c: Conversation, profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading" || !profile.contact) return null;
    const contact = profile.contact;
    const v = profile.vulnerability ?? null;
    return h(
      "section",
      { class: "details-section", "aria-label": "Vulnerability" },
      h("h3", { class: "details-heading" }, "Vulnerability"),
      v
        ? h(
            "div",
            { class: "callout", dataset: { vulnerability: v.kind } },
            icon("alert", 13),
            h(
              "span",
              null,
              h("strong", null, VULNERABILITY_LABELS[v.kind]),
              ` — ${v.note}`,
              h(
                "span",
                { class: "muted" },
                ` (recorded with consent by ${v.recordedBy?.name ?? "a former colleague"}, ${dateTime(v.recordedAt)})`,
              ),
            ),
          )
        : h("div", { class: "details-hint" }, "No vulnerability recorded."),
      h(
        "div",
        { class: "details-case" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-sm",
            dataset: { action: "record-vulnerability" },
            onclick: () => this.recordVulnerability(c, contact, v),
          },
          v ? "Change" : "Record vulnerability…",
        ),
        v
          ? h(
              "button",
              {
                type: "button",
                class: "btn btn-ghost btn-sm",
                dataset: { action: "remove-vulnerability" },
                onclick: () =>
                  confirmAction({
                    title: "Remove the vulnerability flag?",
                    text: "Their new conversations go to the usual team again, and the assistant treats them as any customer.",
                    confirm: "Remove",
                    danger: true,
                    run: async () => {
                      await api.del(`/contacts/${contact.id}/vulnerability`);
                      this.reloadProfile(c);
                    },
                  }),
              },
              "Remove",
            )
          : null,
      ),
    );
  }

  private recordVulnerability(c: Conversation, contact: Contact, current: Vulnerability | null): void {
    const kind = select(Object.entries(VULNERABILITY_LABELS) as Array<[string, string]>, current?.kind ?? "bereavement", { name: "kind" });
    const note = textarea({ name: "note", maxlength: 1000, rows: 3, placeholder: "What the customer told you, briefly" });
    note.value = current?.note ?? "";
    const consent: HTMLInputElement = h("input", { type: "checkbox", name: "consentConfirmed" });
    formModal({
      title: current ? "Change the vulnerability flag" : "Record a vulnerability",
      submit: "Save",
      body: h(
        "div",
        { class: "af-grid" },
        field("Circumstances", kind, { name: "kind", wide: true }),
        field("Note", note, { name: "note", wide: true, hint: "Seen by the agents who serve this customer." }),
        field("Consent", h("label", { class: "check" }, consent, " The customer agreed to this being recorded"), {
          name: "consentConfirmed",
          wide: true,
        }),
      ),
      run: async () => {
        await api.put(`/contacts/${contact.id}/vulnerability`, {
          kind: kind.value,
          note: note.value.trim(),
          consentConfirmed: consent.checked,
        });
        toast("Vulnerability recorded", { kind: "success", timeout: 2500 });
        this.reloadProfile(c);
      },
    });
  }

  /** "Merge into…": find the same customer's other contact and move this one's history there. */
  private mergeInto(contact: Contact): void {
    const c = this.conv;
    let chosen: Contact | null = null;
    const results = h("div", { class: "history merge-results", role: "listbox", "aria-label": "Contacts found" });
    const q: HTMLInputElement = h("input", {
      class: "input",
      name: "q",
      placeholder: "Name, e-mail, phone or customer ID",
      "aria-label": "Search contacts",
    });
    let seq = 0;
    const search = async () => {
      const mine = ++seq;
      if (q.value.trim().length < 2) return void replace(results);
      try {
        const r = await api.get<{ items: Contact[] }>("/contacts", { q: q.value.trim() });
        if (mine !== seq) return;
        const items = r.items.filter((x) => x.id !== contact.id);
        replace(
          results,
          items.length
            ? items.map((x) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: "history-item",
                    role: "option",
                    dataset: { contactId: x.id },
                    onclick: (e: Event) => {
                      chosen = x;
                      for (const b of results.querySelectorAll(".history-item")) b.setAttribute("aria-selected", "false");
                      (e.currentTarget as HTMLElement).setAttribute("aria-selected", "true");
                    },
                  },
                  h("span", { class: "history-top" }, h("strong", null, contactName(x)), " ", verifiedBadge(x.verified)),
                  h("span", { class: "history-last" }, [x.email, x.phone, x.externalId].filter(Boolean).join(" · ") || "—"),
                ),
              )
            : h("div", { class: "details-hint" }, "No other customer matches."),
        );
      } catch (err) {
        if (mine === seq) replace(results, h("div", { class: "details-hint details-error" }, errorMessage(err)));
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    q.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(), 250);
    });
    formModal({
      title: `Merge ${contactName(contact)} into…`,
      submit: "Merge",
      body: h(
        "div",
        null,
        h(
          "p",
          { class: "modal-text" },
          "Their conversations, complaint cases and channel identities move to the customer you pick. The merge can be undone from that customer's history.",
        ),
        q,
        results,
      ),
      run: async () => {
        if (!chosen) throw new Error("Pick the customer to merge into");
        const r = await api.post<ContactMergeResult>(`/contacts/${contact.id}/merge`, { into: chosen.id });
        toast(`Merged: ${r.moved.conversations} conversation(s) and ${r.moved.cases} case(s) moved`, { kind: "success", timeout: 3000 });
        if (c) this.reloadProfile(c);
      },
    });
  }

  private undoMerge(c: Conversation, m: ContactMerge): void {
    confirmAction({
      title: "Undo this merge?",
      text: `${m.moved.conversations} conversation(s), ${m.moved.cases} case(s) and ${m.moved.channelIdentities} channel identit${m.moved.channelIdentities === 1 ? "y" : "ies"} go back to ${m.mergedName ?? "the other contact"}. What came in since stays here.`,
      confirm: "Undo merge",
      danger: true,
      run: async () => {
        await api.post(`/contact-merges/${m.id}/undo`, {});
        toast("Merge undone", { kind: "success", timeout: 2500 });
        this.reloadProfile(c);
      },
    });
  }

  /** Opens a complaint case from this conversation and shows it on the Cases page. */
  private async openCase(c: Conversation): Promise<void> {
    const summary = prompt("What is the complaint about? (the customer's words, briefly)");
    if (!summary?.trim()) return;
    try {
      const opened = await api.post<Case>("/cases", { conversationId: c.id, summary: summary.trim() });
      toast(`Case ${opened.reference} opened`, { kind: "success", timeout: 2500 });
      this.app.navigate({ page: "cases", view: "all", id: opened.id });
    } catch (err) {
      toast(errorMessage(err), { kind: "error", title: "That didn't work" });
    }
  }

  private conversationSection(c: Conversation): HTMLElement {
    const app = this.app;
    const labelInput = this.labelInput;
    const facts: Array<[string, Child]> = [
      ["Conversation", `#${c.displayId}`],
      ["Status", statusPill(c.status)],
      ["Assignee", c.assigneeId === app.me.id ? "You" : app.agentName(c.assigneeId)],
      ["Team", app.teamName(c.teamId)],
      ["Started", dateTime(c.createdAt)],
      ["Handed off", c.handedOffAt ? dateTime(c.handedOffAt) : "—"],
      ["First reply", c.firstReplyAt ? dateTime(c.firstReplyAt) : "—"],
    ];
    if (c.resolvedAt) facts.push(["Resolved", dateTime(c.resolvedAt)]);
    if (c.csat)
      facts.push([
        "Rating",
        h(
          "span",
          { class: "details-csat", title: c.csat.comment ?? undefined },
          `${"★".repeat(c.csat.rating)}${"☆".repeat(5 - c.csat.rating)} ${c.csat.rating}/5`,
          c.csat.comment ? h("span", { class: "muted" }, ` “${c.csat.comment}”`) : null,
        ),
      ]);
    return h(
      "section",
      { class: "details-section" },
      h("h3", { class: "details-heading" }, "Conversation"),
      h(
        "dl",
        { class: "facts facts-compact" },
        facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
      ),
      // A complaint made to a person (or noticed by one): open a case with its clocks.
      h(
        "div",
        { class: "details-case" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-sm",
            dataset: { action: "open-case" },
            onclick: () => void this.openCase(c),
          },
          "Open complaint case",
        ),
      ),
      h("h3", { class: "details-heading" }, "Labels"),
      h(
        "div",
        { class: "labels" },
        c.labels.map((l) =>
          h(
            "span",
            { class: "chip chip-label" },
            l,
            h(
              "button",
              {
                type: "button",
                class: "chip-x",
                "aria-label": `Remove label ${l}`,
                onclick: () => void app.act(api.patch<Conversation>(`/conversations/${c.id}`, { labels: c.labels.filter((x) => x !== l) })),
              },
              icon("x", 10),
            ),
          ),
        ),
        labelInput,
      ),
    );
  }

  /**
   * The customer's mood as the assistant read it: this conversation's course, the
   * course from one conversation to the next, and the latest conversations in which
   * they were upset — so that an agent meets a customer who keeps coming back angrier
   * knowing it.
   */
  /** The customer's CSAT ratings and NPS answers side by side, newest first. */
  private satisfactionSection(profile: Profile | "loading" | undefined): HTMLElement | null {
    const s = profile && profile !== "loading" ? profile.satisfaction : undefined;
    if (!s || (!s.csat.length && !s.nps.length)) return null;
    const reason = (comment: string | null) => (comment ? h("span", { class: "muted" }, ` “${comment}”`) : null);
    const list = (title: string, items: Child[]) =>
      h(
        "div",
        null,
        h("div", { class: "details-hint" }, title),
        items.length ? h("ul", { class: "satisfaction-list" }, items) : h("div", { class: "muted" }, "—"),
      );
    return h(
      "section",
      { class: "details-section", dataset: { section: "satisfaction" } },
      h("h3", { class: "details-heading" }, "Satisfaction"),
      list(
        "CSAT (1–5)",
        s.csat
          .slice(0, 5)
          .map((x) =>
            h(
              "li",
              { title: dateTime(x.createdAt) },
              `#${x.displayId} · ${"★".repeat(x.rating)}${"☆".repeat(5 - x.rating)}`,
              reason(x.comment),
            ),
          ),
      ),
      list(
        "NPS (0–10)",
        s.nps
          .slice(0, 5)
          .map((x) =>
            h(
              "li",
              { title: dateTime(x.answeredAt), dataset: { nps: String(x.score) } },
              `#${x.displayId} · ${x.score}/10`,
              reason(x.comment),
            ),
          ),
      ),
    );
  }

  private moodSection(c: Conversation, profile: Profile | "loading" | undefined): HTMLElement | null {
    const mood = profile && profile !== "loading" ? profile.emotionalProfile : undefined;
    if (!mood) return null;
    const trend = (t: MoodTrend) => h("span", { class: `mood-trend mood-${t}` }, TREND_LABELS[t]);
    const here = mood.byConversation.find((x) => x.conversationId === c.id);
    const displayId = new Map(profile !== "loading" && profile ? profile.conversations.map((x) => [x.id, x.displayId]) : []);
    const facts: Array<[string, Child]> = [];
    if (here)
      facts.push([
        "This conversation",
        h("span", null, sentimentMarker({ label: moodLabel(here.last), score: here.last }, true), " ", trend(here.trend)),
      ]);
    if (mood.average !== null)
      facts.push([
        mood.conversations === 1 ? "Overall" : `Over ${mood.conversations} conversations`,
        h(
          "span",
          null,
          sentimentMarker({ label: moodLabel(mood.average), score: mood.average }, true),
          mood.conversations > 1 ? [" ", trend(mood.trend)] : null,
        ),
      ]);
    if (mood.negativeShare !== null && mood.conversations > 1)
      facts.push(["Upset in", `${Math.round(mood.negativeShare * mood.conversations)} of ${mood.conversations} conversations`]);
    return h(
      "section",
      { class: "details-section", "aria-label": "Customer mood" },
      h("h3", { class: "details-heading" }, "Mood"),
      mood.readings === 0
        ? h("div", { class: "details-hint" }, "The assistant has not read any of this customer's messages yet.")
        : [
            h(
              "dl",
              { class: "facts facts-compact" },
              facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
            ),
            mood.recentNegative.length ? h("div", { class: "mood-caption muted" }, "Recently upset") : null,
            mood.recentNegative.length
              ? h(
                  "div",
                  { class: "history mood-episodes" },
                  mood.recentNegative.map((e) =>
                    h(
                      "button",
                      {
                        type: "button",
                        class: "history-item",
                        title: `Lowest ${e.score.toFixed(2)}; ${e.negativeMessages} negative message${e.negativeMessages === 1 ? "" : "s"}`,
                        onclick: () => this.app.openConversation(e.conversationId),
                      },
                      h(
                        "span",
                        { class: "history-top" },
                        h("span", { class: "conv-item-id" }, displayId.has(e.conversationId) ? `#${displayId.get(e.conversationId)}` : "—"),
                        sentimentMarker({ label: "negative", score: e.score }, true),
                        h("span", { class: "conv-item-spacer" }),
                        h("span", { class: "muted" }, ago(e.at)),
                      ),
                    ),
                  ),
                )
              : null,
          ],
    );
  }

  private historySection(c: Conversation, profile: Profile | "loading" | undefined): HTMLElement | null {
    if (!profile || profile === "loading") return null;
    const others = profile.conversations.filter((x) => x.id !== c.id);
    return h(
      "section",
      { class: "details-section" },
      h("h3", { class: "details-heading" }, `Previous conversations${others.length ? ` (${others.length})` : ""}`),
      others.length
        ? h(
            "div",
            { class: "history" },
            others.map((o) =>
              h(
                "button",
                { type: "button", class: "history-item", onclick: () => this.app.openConversation(o.id), title: STATUS_LABELS[o.status] },
                h(
                  "span",
                  { class: "history-top" },
                  h("span", { class: "conv-item-id" }, `#${o.displayId}`),
                  statusPill(o.status),
                  h("span", { class: "conv-item-spacer" }),
                  h("span", { class: "muted" }, ago(o.lastActivityAt)),
                ),
                h("span", { class: "history-last" }, o.lastMessage ?? "—"),
              ),
            ),
          )
        : h("div", { class: "details-hint" }, "First conversation with this customer."),
      profile.cases?.length
        ? [
            h("h3", { class: "details-heading" }, `Complaint cases (${profile.cases.length})`),
            h(
              "div",
              { class: "history" },
              profile.cases.map((k) =>
                h(
                  "button",
                  { type: "button", class: "history-item", onclick: () => this.app.navigate({ page: "cases", view: "all", id: k.id }) },
                  h(
                    "span",
                    { class: "history-top" },
                    h("span", { class: "conv-item-id" }, k.reference),
                    h("span", { class: "muted" }, humanize(k.status)),
                  ),
                  h("span", { class: "history-last" }, k.summary),
                ),
              ),
            ),
          ]
        : null,
      profile.merges?.length
        ? [
            h("h3", { class: "details-heading" }, "Merged contacts"),
            h(
              "div",
              { class: "history", "aria-label": "Merges" },
              profile.merges.map((m) =>
                h(
                  "div",
                  { class: "history-item", dataset: { mergeId: m.id } },
                  h(
                    "span",
                    { class: "history-top" },
                    h("strong", null, m.mergedName ?? "Unnamed contact"),
                    h("span", { class: "conv-item-spacer" }),
                    h("span", { class: "muted" }, m.undoneAt ? `undone ${ago(m.undoneAt)}` : ago(m.mergedAt)),
                  ),
                  h(
                    "span",
                    { class: "history-last", dataset: { mergeBy: m.automatic ? "automatic" : "agent" } },
                    `${m.moved.conversations} conversation(s), ${m.moved.cases} case(s) ${
                      // BankDesk merged them itself: both proved the same e-mail address (never on a mere claim).
                      m.automatic ? "automatically: same verified e-mail" : `by ${m.mergedBy?.name ?? "—"}`
                    }`,
                  ),
                  m.undoneAt
                    ? null
                    : h(
                        "button",
                        {
                          type: "button",
                          class: "link-btn merge-undo",
                          dataset: { action: "undo-merge" },
                          onclick: () => this.undoMerge(c, m),
                        },
                        "Undo merge",
                      ),
                ),
              ),
            ),
          ]
        : null,
    );
  }

  // --- Knowledge search ----------------------------------------------------------------------

  /** The assistant's reply to the typed question, as a new anonymous customer would read it, rendered. */
  private async previewAnswer(): Promise<void> {
    const text = this.kbInput.value.trim();
    const seq = ++this.previewSeq;
    if (!text) {
      replace(this.kbPreview, h("div", { class: "details-hint" }, "Type a customer's question above first."));
      return;
    }
    replace(this.kbPreview, spinner("Asking the assistant…"));
    try {
      const p = await api.post<AnswerPreview>("/assist/preview-answer", { text });
      if (seq !== this.previewSeq) return;
      const verdict = p.answered
        ? `Answers${p.confidence !== null ? ` (confidence ${Math.round(p.confidence * 100)} %)` : ""}`
        : p.handoff.needed
          ? `Hands over to a person: ${HANDOFF_REASONS[p.handoff.reason ?? ""] ?? humanize(p.handoff.reason ?? "handoff")}`
          : p.confidence !== null
            ? `Declines: not sure enough (confidence ${Math.round(p.confidence * 100)} %)`
            : "Replies without the knowledge base";
      replace(
        this.kbPreview,
        h(
          "article",
          { class: "kb-hit kb-answer" },
          h("div", { class: "kb-title" }, icon("message", 12), h("span", null, verdict)),
          h("div", { class: "md" }, renderMarkdown(p.reply)),
          p.citations.length
            ? h(
                "div",
                { class: "kb-foot" },
                ...p.citations.map((c) => h("span", { class: "kb-path", title: c.path }, sourceLabel(c.title, c.heading))),
              )
            : null,
        ),
      );
    } catch (err) {
      if (seq !== this.previewSeq) return;
      replace(this.kbPreview, emptyState("alert", "The assistant could not answer", errorMessage(err)));
    }
  }

  private async searchKnowledge(): Promise<void> {
    const q = this.kbInput.value.trim();
    const seq = ++this.kbSeq;
    if (!q) {
      replace(this.kbResults, h("div", { class: "details-hint" }, "Search the policies and product pages the assistant answers from."));
      return;
    }
    replace(this.kbResults, spinner("Searching…"));
    try {
      const r = await api.get<KnowledgeSearchResult>("/knowledge/search", { q });
      if (seq !== this.kbSeq) return;
      if (!r.hits.length) {
        replace(this.kbResults, emptyState("search", "No matches", `Nothing in the knowledge base matches “${q}”.`));
        return;
      }
      replace(
        this.kbResults,
        r.hits
          .slice(0, 10)
          .map((hit) =>
            h(
              "article",
              { class: "kb-hit" },
              h(
                "div",
                { class: "kb-title" },
                icon("file", 12),
                h("span", null, hit.title),
                sectionOf(hit.title, hit.heading) ? h("span", { class: "muted" }, ` › ${sectionOf(hit.title, hit.heading)}`) : null,
              ),
              h("div", { class: "kb-text" }, hit.text.length > 320 ? `${hit.text.slice(0, 320)}…` : hit.text),
              h(
                "div",
                { class: "kb-foot" },
                h("span", { class: "kb-path", title: hit.path }, hit.path),
                h("button", { type: "button", class: "link-btn", onclick: () => this.app.insertIntoReply(hit.text) }, "Insert into reply"),
              ),
            ),
          ),
      );
    } catch (err) {
      if (seq !== this.kbSeq) return;
      replace(
        this.kbResults,
        emptyState(
          "alert",
          "Search failed",
          errorMessage(err),
          h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => void this.searchKnowledge() }, "Try again"),
        ),
      );
    }
  }
}

const HANDOFF_REASONS: Record<string, string> = {
  explicit_request: "the customer asks for a person",
  negative_sentiment: "the customer sounds upset",
  sensitive_topic: "a sensitive topic (complaints, fraud, bereavement…)",
  low_confidence: "it is not sure after several tries",
  rejected_answers: "the customer rejected its answers",
  complaint: "the customer complains (it opens a case and gives them the reference)",
};

function humanize(key: string): string {
  return key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/^./, (c) => c.toUpperCase());
}
