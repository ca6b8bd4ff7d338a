/**
 * The signed-in console: holds the shared state (conversations, counts, agents,
 * teams), routes between the inbox and reports, and feeds live socket events to
 * the views.
 */
import type { Socket } from "socket.io-client";
import { api, errorMessage } from "./api.ts";
import { h } from "./dom.ts";
import { contactName, reasonLabel } from "./format.ts";
import { icon } from "./icons.ts";
import { connectRealtime, type StreamEvent } from "./realtime.ts";
import type {
  Agent,
  CannedResponse,
  ContactRef,
  Conversation,
  ConversationPage,
  Csat,
  InboxRef,
  Label,
  Message,
  Segment,
  SignedOut,
  Team,
  View,
} from "./types.ts";
import { toast } from "./ui.ts";
import { METRIC_LABELS } from "./sla.ts";
import { Sidebar } from "./views/sidebar.ts";
import { ConversationList, statusesOf } from "./views/list.ts";
import { ConversationPane } from "./views/conversation.ts";
import { EarlyWarningBanner } from "./views/earlyWarningBanner.ts";
import { ReportsPage } from "./views/reports.ts";
import { CasesPage } from "./views/cases.ts";
import { AdminPage } from "./views/admin/AdminPage.ts";
import { VIEWS, parseRoute, routePath, type Route } from "./routes.ts";
import { AGENT_REQUESTS, type AgentRequests } from "../../shared/wire/index.ts";
import { olderStatus } from "../../shared/statusVersion.ts";
import type { CannedResponses, ConversationListState, Conversations, Directory, Filters, Session } from "./consoleHost.ts";

const NO_FILTERS: Filters = { q: "", status: "", teamId: "", inboxId: "", label: "", priority: "", sentiment: "", segmentId: "" };

/** What counts as the agent using the console (for the inactivity sign-out). */
const INPUT_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

export class ConsoleApp implements Session, Directory, CannedResponses, Conversations, ConversationListState {
  readonly root: HTMLElement;
  route: Route;
  /** The directory; null until loaded (or when loading failed: names show as "Agent", "Assigned team"). */
  agents: Agent[] | null = null;
  teams: Team[] | null = null;
  inboxes: InboxRef[] | null = null;
  labels: Label[] | null = null;
  segments: Segment[] | null = null;
  canned: CannedResponse[] | undefined = undefined;
  readonly conversations = new Map<string, Conversation>();
  readonly contacts = new Map<string, ContactRef>();
  readonly unread = new Set<string>();
  /** Conversation id → time until which the customer counts as typing. */
  readonly typing = new Map<string, number>();
  counts: Partial<Record<View, number>> = {};
  /** Kept across view switches; a status the current view cannot hold is not applied there. */
  filters: Filters = { ...NO_FILTERS };
  /** The list's order: longest waiting first, or the soonest service-level due time (breached on top). */
  listSort: "waiting" | "sla" = "waiting";
  list: { items: Conversation[]; total: number; loading: boolean; error: string | null; loaded: boolean } = {
    items: [],
    total: 0,
    loading: false,
    error: null,
    loaded: false,
  };
  socket: Socket | null = null;
  connected = false;

  readonly sidebar: Sidebar;
  readonly listView: ConversationList;
  readonly pane: ConversationPane;
  readonly reports: ReportsPage;
  readonly cases: CasesPage;
  readonly admin: AdminPage;
  private readonly connectionBar: HTMLElement;
  private readonly earlyWarnings = new EarlyWarningBanner(this);
  private listSeq = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private activityTimer: ReturnType<typeof setInterval> | undefined;
  /** Whether the agent typed, clicked or scrolled since the last activity report. */
  private usedSinceReport = false;
  private readonly onInput = () => void (this.usedSinceReport = true);
  private destroyed = false;

  constructor(
    readonly me: Agent,
    private readonly onSignOut: () => void,
  ) {
    this.route = parseRoute(location.pathname);
    this.sidebar = new Sidebar(this);
    this.listView = new ConversationList(this);
    this.pane = new ConversationPane(this);
    this.reports = new ReportsPage(this);
    this.cases = new CasesPage(this);
    this.admin = new AdminPage(this);
    this.connectionBar = h(
      "div",
      { class: "connection", role: "status", hidden: true },
      icon("wifiOff", 14),
      h("span", null, "Live updates paused — reconnecting…"),
    );
    this.root = h(
      "div",
      { class: "shell" },
      this.sidebar.el,
      h(
        "div",
        { class: "workspace" },
        this.connectionBar,
        this.earlyWarnings.el,
        h("div", { class: "inbox" }, this.listView.el, this.pane.el),
        this.reports.el,
        this.cases.el,
        this.admin.el,
      ),
    );
  }

  async start(): Promise<void> {
    window.addEventListener("popstate", this.onPopState);
    document.addEventListener("keydown", this.onKey);
    this.ticker = setInterval(() => this.tick(), 15_000);
    // The server ends a session left untouched for SESSION_IDLE_MINUTES (an unattended
    // terminal). Live updates are not the agent's doing: only their own input is
    // reported, at most once a minute.
    for (const ev of INPUT_EVENTS) window.addEventListener(ev, this.onInput, { capture: true, passive: true });
    this.activityTimer = setInterval(() => {
      if (!this.usedSinceReport) return;
      this.usedSinceReport = false;
      void api.post("/auth/activity").catch(() => {});
    }, 60_000);
    // Knowledge editors have no inbox: the server refuses their socket, so don't open one.
    if (this.me.role === "admin") void this.earlyWarnings.load();
    if (this.me.role !== "content")
      this.socket = connectRealtime({
        message: (e) => this.onMessage(e.message, e.conversation),
        messageUpdated: (m) => {
          if (this.pane.conversationId === m.conversationId) this.pane.update(m);
        },
        conversation: (c) => this.onConversation(c),
        handoff: (e) => this.onHandoff(e.conversation, e.reason),
        stream: (e) => this.onStream(e),
        typing: (e) => this.onTyping(e.conversationId, e.from, e.typing),
        csat: (e) => this.onCsat(e.conversationId, e.csat),
        presence: (e) => {
          const a = this.agents?.find((x) => x.id === e.agentId);
          if (a) a.availability = e.availability;
          if (e.agentId === this.me.id) {
            this.me.availability = e.availability;
            this.sidebar.render();
          }
        },
        case: (c) => {
          this.cases.onCase(c);
          this.pane.details.caseChanged(c);
        },
        // A complaint's clock at 80 % or past its deadline: the owner and supervisors see it wherever they are.
        caseAlert: (a) =>
          toast(
            `${a.reference}: ${a.clock === "acknowledge" ? "acknowledgement" : "final response"} ${a.level === "breach" ? "is past its deadline" : "has used 80 % of its time"}`,
            {
              kind: a.level === "breach" ? "error" : "info",
              title: a.level === "breach" ? "Complaint deadline breached" : "Complaint due soon",
              timeout: 15_000,
              action: {
                label: "Open",
                run: () => this.navigate({ page: "cases", view: a.level === "breach" ? "breached" : "due_soon", id: a.caseId }),
              },
            },
          ),
        sla: (e) => this.onSla(e.conversationId, e.sla),
        // A breach reaches the agents who may see the conversation wherever they are; a near-breach its assignee (or everyone, unassigned).
        slaAlert: (a) => {
          const known = this.conversations.get(a.conversationId);
          if (known?.sla?.next && a.level === "breach")
            this.onSla(a.conversationId, { ...known.sla, breached: true, next: { ...known.sla.next, state: "breached" } });
          if (a.level === "near_breach" && a.assigneeId && a.assigneeId !== this.me.id) return;
          toast(
            `#${a.displayId}: ${METRIC_LABELS[a.metric].toLowerCase()} ${a.level === "breach" ? "is past its target" : "has used 80 % of its time"} (${a.policyName})`,
            {
              kind: a.level === "breach" ? "error" : "info",
              title: a.level === "breach" ? "SLA breached" : "SLA due soon",
              timeout: 15_000,
              action: { label: "Open", run: () => this.openConversation(a.conversationId) },
            },
          );
        },
        earlyWarning: (a) => this.earlyWarnings.onAlert(a),
        status: (connected, first) => this.onConnection(connected, first),
        unauthorized: () => this.onSignOut(),
      });
    void this.loadDirectory();
    this.applyRoute(true);
    void this.loadCounts();
  }

  destroy(): void {
    this.destroyed = true;
    window.removeEventListener("popstate", this.onPopState);
    document.removeEventListener("keydown", this.onKey);
    clearInterval(this.ticker);
    clearInterval(this.activityTimer);
    for (const ev of INPUT_EVENTS) window.removeEventListener(ev, this.onInput, { capture: true });
    clearTimeout(this.refreshTimer);
    this.socket?.disconnect();
    this.socket = null;
    this.pane.destroy();
  }

  // --- Routing --------------------------------------------------------------

  navigate(route: Route, replace = false): void {
    const path = routePath(route);
    if (path !== location.pathname) {
      if (replace) history.replaceState(null, "", path);
      else history.pushState(null, "", path);
    }
    this.applyRoute(false);
  }

  openConversation(id: string | null): void {
    const view = this.route.page === "inbox" ? this.route.view : "all";
    this.navigate({ page: "inbox", view, id });
  }

  private onPopState = () => this.applyRoute(false);

  private applyRoute(initial: boolean): void {
    const prev = this.route;
    const next = parseRoute(location.pathname);
    this.route = next;
    this.root.classList.toggle("show-reports", next.page === "reports");
    this.root.classList.toggle("show-cases", next.page === "cases");
    this.root.classList.toggle("show-admin", next.page === "admin");
    this.sidebar.render();
    if (next.page === "admin") {
      void this.admin.show(next.section, next.id);
      return;
    }
    if (prev.page === "admin") this.updateTitle();
    if (next.page === "reports") {
      void this.reports.show();
      return;
    }
    if (next.page === "cases") {
      void this.cases.show(next.view, next.id);
      return;
    }
    const viewChanged = initial || prev.page !== "inbox" || prev.view !== next.view;
    if (viewChanged) void this.loadList(true);
    const prevId = prev.page === "inbox" ? prev.id : null;
    if (initial || next.id !== prevId || !this.pane.conversationId) {
      if (next.id) void this.pane.open(next.id);
      else this.pane.showEmpty();
    }
    this.root.classList.toggle("has-open", Boolean(next.id));
    this.listView.render();
  }

  get currentView(): View {
    return this.route.page === "inbox" ? this.route.view : "mine";
  }

  // --- Data -------------------------------------------------------------------

  /** Agents, teams, inboxes and labels, for names, assignment and the list filters. */
  get openConversationId(): string | null {
    return this.pane.conversationId;
  }

  insertIntoReply(text: string): void {
    this.pane.composer.insertText(text);
  }

  renderList(): void {
    this.listView.render();
  }

  async loadDirectory(): Promise<void> {
    const load = <T>(path: string) =>
      api.get<{ items: T[] }>(path).then(
        (r) => r.items,
        () => null,
      );
    const [agents, teams, inboxes, labels, segments] = await Promise.all([
      load<Agent>("/agents"),
      load<Team>("/teams"),
      load<InboxRef>("/inboxes"),
      load<Label>("/labels"),
      // Content editors may not list customers' segments: null, and no segment filter.
      load<Segment>("/segments"),
    ]);
    if (this.destroyed) return;
    this.agents = agents;
    this.teams = teams;
    this.inboxes = inboxes;
    this.labels = labels;
    this.segments = segments;
    this.pane.refreshHeader();
    this.listView.render();
    if (this.route.page === "reports") this.reports.renderControls();
  }

  /** Canned responses, fetched once; the error when they could not be loaded (asked again next time). */
  async loadCanned(): Promise<CannedResponse[] | Error> {
    if (this.canned) return this.canned;
    try {
      this.canned = (await api.get<{ items: CannedResponse[] }>("/canned-responses")).items;
      return this.canned;
    } catch (err) {
      return new Error(errorMessage(err));
    }
  }

  hasFilters(): boolean {
    const f = this.filters;
    return Boolean(f.q.trim() || this.effectiveStatus() || f.teamId || f.inboxId || f.label || f.priority || f.sentiment || f.segmentId);
  }

  clearFilters(): void {
    this.filters = { ...NO_FILTERS };
  }

  /** The status filter, when the current view can hold that status. */
  effectiveStatus(): string {
    const s = this.filters.status;
    return s && (statusesOf(this.currentView) as string[]).includes(s) ? s : "";
  }

  async loadList(reset = false): Promise<void> {
    if (this.route.page !== "inbox") return;
    const seq = ++this.listSeq;
    if (reset) {
      this.list = { items: [], total: 0, loading: true, error: null, loaded: false };
      this.listView.render();
    }
    try {
      const r = await api.get<ConversationPage>("/conversations", {
        view: this.currentView,
        q: this.filters.q.trim() || undefined,
        status: this.effectiveStatus() || undefined,
        teamId: this.filters.teamId || undefined,
        inboxId: this.filters.inboxId || undefined,
        label: this.filters.label || undefined,
        priority: this.filters.priority || undefined,
        sentiment: this.filters.sentiment || undefined,
        segmentId: this.filters.segmentId || undefined,
        sort: this.listSort,
        limit: 100,
      });
      if (seq !== this.listSeq || this.destroyed) return;
      for (const c of r.items) this.remember(c);
      this.list = { items: r.items.map((c) => this.conversations.get(c.id)!), total: r.total, loading: false, error: null, loaded: true };
    } catch (err) {
      if (seq !== this.listSeq || this.destroyed) return;
      this.list = { ...this.list, loading: false, error: errorMessage(err), loaded: true };
    }
    this.listView.render();
  }

  async loadCounts(): Promise<void> {
    try {
      const totals = await Promise.all(
        VIEWS.map((v) => api.get<ConversationPage>("/conversations", { view: v.id, limit: 1 }).then((r) => r.total)),
      );
      if (this.destroyed) return;
      VIEWS.forEach((v, i) => (this.counts[v.id] = totals[i]));
      this.sidebar.render();
    } catch {
      /* counts are decoration: keep the last ones */
    }
  }

  /** Re-fetches the list and counts soon, coalescing bursts of events (at most every 1.5 s). */
  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(250, 1500 - (Date.now() - this.lastRefresh));
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.lastRefresh = Date.now();
      void this.loadList(false);
      void this.loadCounts();
    }, wait);
  }

  /** Whether a conversation belongs in the current view (the server's rules, for instant feedback). */
  private fitsView(c: Conversation): boolean {
    const f = this.filters;
    if (f.priority && c.priority !== f.priority) return false;
    if (f.sentiment && c.sentiment?.label !== f.sentiment) return false;
    const status = this.effectiveStatus();
    if (status && c.status !== status) return false;
    if (f.teamId && c.teamId !== f.teamId) return false;
    if (f.inboxId && c.inboxId && c.inboxId !== f.inboxId) return false;
    if (f.label && !c.labels.includes(f.label)) return false;
    // A segment is decided by the server (the customer's flag, cases, answers): kept until the next refresh says otherwise.
    switch (this.currentView) {
      case "mine":
        return c.assigneeId === this.me.id && (c.status === "open" || c.status === "snoozed");
      case "unassigned":
        return c.assigneeId === null && c.status === "open";
      case "bot":
        return c.status === "pending";
      case "resolved":
        return c.status === "resolved";
      default:
        return true;
    }
  }

  /** Drops a conversation that no longer belongs in the view; the next refresh adds new ones in order. */
  private prune(c: Conversation): void {
    if (this.fitsView(c)) return;
    const before = this.list.items.length;
    this.list.items = this.list.items.filter((x) => x.id !== c.id);
    if (this.list.items.length < before) this.list.total = Math.max(0, this.list.total - 1);
  }

  /** Merges what the server said about a conversation with what we knew (contact, last message). */
  /** A conversation's new service levels: its list row and header follow. */
  onSla(conversationId: string, sla: Conversation["sla"]): void {
    const known = this.conversations.get(conversationId);
    if (!known) return;
    const merged = this.remember({ ...known, sla });
    this.listView.render();
    this.pane.applyConversation(merged);
  }

  remember(c: Conversation): Conversation {
    const prev = this.conversations.get(c.id);
    // A list or conversation fetched before a status change, arriving after its push, is older in every field.
    if (prev && olderStatus(prev, c)) return prev;
    const merged: Conversation = {
      ...prev,
      ...c,
      contact: c.contact ?? prev?.contact ?? (c.contactId ? this.contacts.get(c.contactId) : undefined),
      lastMessage: c.lastMessage !== undefined ? c.lastMessage : prev?.lastMessage,
    };
    if (merged.contact) {
      this.contacts.set(merged.contact.id, merged.contact);
      merged.contactId ??= merged.contact.id;
    }
    this.conversations.set(c.id, merged);
    const i = this.list.items.findIndex((x) => x.id === c.id);
    if (i >= 0) this.list.items[i] = merged;
    return merged;
  }

  /** The contact of a conversation, fetched through the list when we never saw it. */
  async contactFor(c: Conversation): Promise<ContactRef | undefined> {
    if (c.contact) return c.contact;
    if (!c.contactId) return undefined;
    const known = this.contacts.get(c.contactId);
    if (known) return known;
    try {
      const r = await api.get<ConversationPage>("/conversations", { view: "all", contactId: c.contactId, limit: 1 });
      const contact = r.items[0]?.contact;
      if (contact) this.contacts.set(contact.id, contact);
      return contact;
    } catch {
      return undefined;
    }
  }

  agentName(id: string | null | undefined): string {
    if (!id) return "Unassigned";
    if (id === this.me.id) return this.me.name;
    return this.agents?.find((a) => a.id === id)?.name ?? "Agent";
  }

  teamName(id: string | null | undefined): string {
    if (!id) return "No team";
    return this.teams?.find((t) => t.id === id)?.name ?? "Assigned team";
  }

  // --- Commands --------------------------------------------------------------------

  async act<T extends Conversation>(p: Promise<T>, success?: string): Promise<T | undefined> {
    try {
      const c = await p;
      if (c && typeof c === "object" && "id" in c) this.onConversation(c);
      if (success) toast(success, { kind: "success", timeout: 2500 });
      return c;
    } catch (err) {
      toast(errorMessage(err), { kind: "error", title: "That didn't work" });
      return undefined;
    }
  }

  async signOut(): Promise<void> {
    let endSessionUrl: string | undefined;
    try {
      endSessionUrl = (await api.post<SignedOut | undefined>("/auth/logout"))?.endSessionUrl;
    } catch {
      /* the session may be gone already */
    }
    // Signed in through the identity provider: sign out there too (RP-initiated logout); it sends the browser back.
    if (endSessionUrl) return void window.location.assign(endSessionUrl);
    this.onSignOut();
  }

  setAvailability(a: "online" | "away"): void {
    this.me.availability = a;
    this.socket?.emit(AGENT_REQUESTS.presence, { availability: a } satisfies AgentRequests["presence"]["payload"]);
    this.sidebar.render();
  }

  // --- Live events --------------------------------------------------------------

  private onMessage(m: Message, conv: Conversation): void {
    const patch: Conversation = { ...conv };
    // The list previews what the customer last wrote (as the server's list does).
    if (m.type === "incoming" && !m.private) patch.lastMessage = m.content;
    const c = this.remember(patch);
    this.prune(c);
    if (m.type === "incoming") this.typing.delete(c.id);
    if (this.pane.conversationId === c.id) {
      if (m.type === "incoming") this.pane.showTyping(false);
      this.pane.receive([m]);
      this.pane.applyConversation(c);
    } else if (m.type === "incoming" && c.status !== "pending") {
      this.unread.add(c.id);
    }
    this.listView.render();
    this.updateTitle();
    this.scheduleRefresh();
  }

  private onConversation(conv: Conversation): void {
    const c = this.remember(conv);
    this.prune(c);
    if (this.pane.conversationId === c.id) this.pane.applyConversation(c);
    this.listView.render();
    this.scheduleRefresh();
  }

  private onHandoff(conv: Conversation, reason: string): void {
    const c = this.remember(conv);
    void this.contactFor(c).then((contact) => {
      if (this.destroyed) return;
      toast(`${contactName(contact)} · ${reasonLabel(reason)}`, {
        title: "New handoff from the assistant",
        action: {
          label: "Open",
          run: () =>
            this.navigate({
              page: "inbox",
              view: this.currentView === "bot" || this.currentView === "resolved" ? "unassigned" : this.currentView,
              id: c.id,
            }),
        },
        timeout: 8000,
      });
    });
    if (this.pane.conversationId !== c.id) this.unread.add(c.id);
    this.updateTitle();
    this.scheduleRefresh();
  }

  /** A customer rated a resolved conversation. */
  private onCsat(conversationId: string, csat: Csat): void {
    const known = this.conversations.get(conversationId);
    if (known) this.remember({ ...known, csat });
    if (this.pane.conversationId === conversationId) this.pane.showCsat(csat);
    toast(`${"★".repeat(csat.rating)}${"☆".repeat(5 - csat.rating)}  ${csat.rating} / 5${csat.comment ? ` — “${csat.comment}”` : ""}`, {
      title: known ? `#${known.displayId} rated by ${contactName(known.contact)}` : "A customer rated a conversation",
      kind: csat.rating >= 4 ? "success" : undefined,
      timeout: 6000,
    });
  }

  private onStream(e: StreamEvent): void {
    if (this.pane.conversationId === e.conversationId) this.pane.stream(e);
  }

  private onTyping(conversationId: string, from: string, typing: boolean): void {
    if (from !== "contact") return;
    if (typing) this.typing.set(conversationId, Date.now() + 8000);
    else this.typing.delete(conversationId);
    if (this.pane.conversationId === conversationId) this.pane.showTyping(typing);
    this.listView.render();
  }

  isTyping(conversationId: string): boolean {
    const until = this.typing.get(conversationId);
    return until !== undefined && until > Date.now();
  }

  private onConnection(connected: boolean, first: boolean): void {
    this.connected = connected;
    this.connectionBar.hidden = connected;
    if (connected && !first) {
      // Catch up with whatever happened while we were away.
      void this.loadList(false);
      void this.loadCounts();
      void this.pane.resync();
    }
  }

  markRead(id: string): void {
    if (this.unread.delete(id)) {
      this.updateTitle();
      this.listView.render();
    }
  }

  private updateTitle(): void {
    const n = this.unread.size;
    document.title = n ? `(${n}) BankDesk` : "BankDesk";
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, until] of this.typing) {
      if (until <= now) {
        this.typing.delete(id);
        if (this.pane.conversationId === id) this.pane.showTyping(false);
      }
    }
    this.listView.tick();
    this.pane.tick();
  }

  /** j / k move through the list; r and n focus the reply box or a private note. */
  private onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (this.route.page !== "inbox") return;
    if (e.key === "j" || e.key === "k") {
      const items = this.list.items;
      if (!items.length) return;
      const i = items.findIndex((c) => c.id === this.pane.conversationId);
      const next = e.key === "j" ? Math.min(items.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
      this.openConversation(items[next]!.id);
      e.preventDefault();
    } else if ((e.key === "r" || e.key === "n") && this.pane.conversationId) {
      this.pane.composer.focus(e.key === "r" ? "reply" : "note");
      e.preventDefault();
    }
  };
}
