import type { CannedResponses, ConversationListState, Conversations, Directory, Session } from "../consoleHost.ts";
import { api, ApiError, errorMessage } from "../api.ts";
import { h, replace } from "../dom.ts";
import {
  clock,
  contactName,
  dateTime,
  dayLabel,
  duration,
  reasonLabel,
  sameDay,
  sentimentOf,
  shortId,
  sourceLabel,
  ts,
  waitLevel,
} from "../format.ts";
import { icon } from "../icons.ts";
import { renderMarkdown } from "../markdown.ts";
import type { StreamEvent } from "../realtime.ts";
import type { ContactRef, Conversation, Message, MessagePage, Priority } from "../types.ts";
import { avatar, button, emptyState, openMenu, reasonChip, sentimentMarker, spinner, statusPill, verifiedBadge } from "../ui.ts";
import { Composer, type ComposerHost } from "./composer.ts";
import { DetailsPanel } from "./details.ts";
import { slaChip, updateSlaChip } from "../sla.ts";

interface PendingMessage {
  clientId: string;
  content: string;
  private: boolean;
  attachments: Message["attachments"];
  createdAt: string;
  error: string | null;
}

/** The right-hand side: header with actions, the pinned handoff note, the thread, the reply box and details. */
export class ConversationPane implements ComposerHost {
  readonly el: HTMLElement;
  conversationId: string | null = null;
  conv: Conversation | null = null;
  contact: ContactRef | undefined;
  readonly composer: Composer;
  readonly details: DetailsPanel;
  private messages: Message[] = [];
  private readonly pending = new Map<string, PendingMessage>();
  private readonly streams = new Map<string, { el: HTMLElement; text: string; timer?: ReturnType<typeof setTimeout> }>();
  private readonly header = h("header", { class: "conv-header" });
  private readonly banner = h("div", { class: "conv-banner", hidden: true });
  private readonly thread = h("div", { class: "thread", role: "log", "aria-label": "Conversation thread", "aria-live": "polite" });
  private readonly threadInner = h("div", { class: "thread-inner" });
  private readonly typingEl = h("div", { class: "typing-indicator", hidden: true, "aria-live": "polite" });
  private readonly newPill: HTMLButtonElement;
  private readonly main: HTMLElement;
  private loadSeq = 0;
  private showDetails = window.innerWidth > 1100;
  private lastHeaderKey = "";

  constructor(private readonly app: Session & Directory & CannedResponses & Conversations & Pick<ConversationListState, "renderList">) {
    this.composer = new Composer(app, this);
    this.details = new DetailsPanel(app, () => this.toggleDetails(false));
    this.thread.appendChild(this.threadInner);
    this.newPill = h(
      "button",
      { type: "button", class: "new-pill", hidden: true, onclick: () => this.scrollToBottom(true) },
      icon("chevronDown", 14),
      "New messages",
    );
    this.thread.addEventListener("scroll", () => {
      if (this.nearBottom()) this.newPill.hidden = true;
    });
    this.main = h(
      "div",
      { class: "conv-main" },
      this.header,
      this.banner,
      h("div", { class: "thread-wrap" }, this.thread, this.newPill),
      this.typingEl,
      this.composer.el,
    );
    this.el = h("section", { class: "conv", "aria-label": "Conversation" });
    this.showEmpty();
  }

  destroy(): void {
    this.composer.destroy();
  }

  showEmpty(): void {
    this.conversationId = null;
    this.conv = null;
    this.loadSeq++;
    this.composer.setConversation(null);
    replace(
      this.el,
      h(
        "div",
        { class: "conv-empty" },
        emptyState(
          "message",
          "Select a conversation",
          "Pick a conversation from the list to read the thread and reply. Tip: j / k move through the list, r replies, n adds a private note.",
        ),
      ),
    );
  }

  async open(id: string): Promise<void> {
    const seq = ++this.loadSeq;
    this.conversationId = id;
    this.messages = [];
    this.pending.clear();
    this.clearStreams();
    this.lastHeaderKey = "";
    this.conv = this.app.conversations.get(id) ?? null;
    this.app.markRead(id);
    replace(this.el, h("div", { class: "conv-loading" }, spinner("Opening conversation…")));
    try {
      const [conv, msgs] = await Promise.all([
        api.get<Conversation>(`/conversations/${id}`),
        api.get<MessagePage>(`/conversations/${id}/messages`, { after: 0, limit: 500 }),
      ]);
      if (seq !== this.loadSeq) return;
      this.conv = this.app.remember(conv);
      this.messages = msgs.items.sort((a, b) => a.seq - b.seq);
    } catch (err) {
      if (seq !== this.loadSeq) return;
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        // The same answer whether it doesn't exist or belongs to a team the agent isn't in: ids can't be probed.
        replace(
          this.el,
          h(
            "div",
            { class: "conv-empty conv-denied", dataset: { denied: "true" } },
            emptyState(
              "lock",
              "You can't open this conversation",
              "It doesn't exist, or it belongs to a team you're not a member of. Ask an admin if you need access.",
              h(
                "button",
                { type: "button", class: "btn btn-secondary btn-sm", onclick: () => this.app.openConversation(null) },
                "Back to the list",
              ),
            ),
          ),
        );
        return;
      }
      replace(
        this.el,
        h(
          "div",
          { class: "conv-empty" },
          emptyState(
            "alert",
            "Couldn't open this conversation",
            errorMessage(err),
            h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => void this.open(id) }, "Try again"),
          ),
        ),
      );
      return;
    }
    this.contact = await this.app.contactFor(this.conv);
    if (seq !== this.loadSeq) return;
    if (this.contact && !this.conv.contact) this.conv = this.app.remember({ ...this.conv, contact: this.contact });
    replace(this.el, this.main, this.details.el);
    this.el.classList.toggle("details-open", this.showDetails);
    this.refreshHeader(true);
    this.renderBanner();
    this.renderThread();
    this.showTyping(this.app.isTyping(id));
    this.composer.setConversation(this.conv);
    this.details.setConversation(this.conv, this.showDetails);
    this.scrollToBottom(false);
    this.app.renderList();
  }

  /** After a reconnect: fetch what we missed. */
  async resync(): Promise<void> {
    const id = this.conversationId;
    if (!id || !this.conv) return;
    const after = this.messages.length ? this.messages[this.messages.length - 1]!.seq : 0;
    try {
      const [conv, msgs] = await Promise.all([
        api.get<Conversation>(`/conversations/${id}`),
        api.get<MessagePage>(`/conversations/${id}/messages`, { after, limit: 500 }),
      ]);
      if (this.conversationId !== id) return;
      this.applyConversation(this.app.remember(conv));
      this.receive(msgs.items);
    } catch {
      /* the next event will try again */
    }
  }

  applyConversation(c: Conversation): void {
    if (c.id !== this.conversationId) return;
    const statusChanged = this.conv?.status !== c.status;
    this.conv = c;
    this.refreshHeader();
    this.renderBanner();
    if (statusChanged) this.composer.setConversation(c, true);
    this.details.update(c);
  }

  // --- Header -----------------------------------------------------------------------

  refreshHeader(force = false): void {
    const c = this.conv;
    if (!c || !this.conversationId) return;
    const app = this.app;
    const key = JSON.stringify([
      c.status,
      c.priority,
      c.assigneeId,
      c.teamId,
      c.waitingSince,
      c.snoozedUntil,
      c.csat,
      c.sla,
      this.contact,
      app.agents?.length,
      app.teams?.length,
      this.showDetails,
    ]);
    if (!force && key === this.lastHeaderKey) return;
    this.lastHeaderKey = key;
    const name = contactName(this.contact ?? c.contact);

    // Assignee: "Unassigned", me, then the directory when the server has one.
    const assigneeOptions: Array<[string, string]> = [
      ["", "Unassigned"],
      [app.me.id, `${app.me.name} (me)`],
    ];
    for (const a of app.agents ?? [])
      if (a.id !== app.me.id && a.role !== "content")
        assigneeOptions.push([a.id, a.availability && a.availability !== "online" ? `${a.name} · ${a.availability}` : a.name]);
    if (c.assigneeId && !assigneeOptions.some(([id]) => id === c.assigneeId))
      assigneeOptions.push([c.assigneeId, `Another agent (${shortId(c.assigneeId)})`]);
    const assignee = h(
      "select",
      {
        class: "select select-sm select-ghost",
        "aria-label": "Assignee",
        title: "Assignee",
        dataset: { testid: "assignee" },
        value: c.assigneeId ?? "",
        onchange: (e: Event) => {
          const v = (e.target as HTMLSelectElement).value || null;
          void app.act(
            api.post<Conversation>(`/conversations/${c.id}/assignment`, { assigneeId: v }),
            v ? `Assigned to ${app.agentName(v)}` : "Unassigned",
          );
        },
      },
      assigneeOptions.map(([id, label]) => h("option", { value: id }, label)),
    );

    const teamOptions: Array<[string, string]> = [["", "No team"]];
    for (const t of app.teams ?? []) teamOptions.push([t.id, t.name]);
    if (c.teamId && !teamOptions.some(([id]) => id === c.teamId)) teamOptions.push([c.teamId, "Assigned team"]);
    const team = h(
      "select",
      {
        class: "select select-sm select-ghost",
        "aria-label": "Team",
        title: "Team",
        value: c.teamId ?? "",
        onchange: (e: Event) => {
          const v = (e.target as HTMLSelectElement).value || null;
          void app.act(api.post<Conversation>(`/conversations/${c.id}/assignment`, { teamId: v }), `Routed to ${app.teamName(v)}`);
        },
      },
      teamOptions.map(([id, label]) => h("option", { value: id }, label)),
    );

    const priority = h(
      "select",
      {
        class: `select select-sm select-ghost select-prio prio-${c.priority}`,
        "aria-label": "Priority",
        title: "Priority",
        value: c.priority,
        onchange: (e: Event) =>
          void app.act(api.patch<Conversation>(`/conversations/${c.id}`, { priority: (e.target as HTMLSelectElement).value as Priority })),
      },
      (["none", "low", "medium", "high", "urgent"] as const).map((p) =>
        h("option", { value: p }, p === "none" ? "No priority" : `${p[0]!.toUpperCase()}${p.slice(1)} priority`),
      ),
    );

    const setStatus = (status: string, extra: Record<string, unknown> = {}, msg?: string) =>
      app.act(api.post<Conversation>(`/conversations/${c.id}/status`, { status, ...extra }), msg);

    const actions: HTMLElement[] = [];
    if (c.status === "pending") {
      actions.push(
        button("Take over", {
          kind: "primary",
          icon: "userCheck",
          small: true,
          title: "Take this conversation from the assistant",
          onClick: () => void this.takeOver(),
        }),
      );
    } else if (c.status === "open") {
      const snooze = button("Snooze", { icon: "moon", small: true, title: "Snooze until later" });
      snooze.addEventListener("click", () =>
        openMenu(
          snooze,
          snoozeOptions().map((o) => ({
            label: o.label,
            hint: o.hint,
            run: () =>
              void setStatus("snoozed", { snoozedUntil: o.until.toISOString() }, `Snoozed until ${dateTime(o.until.toISOString())}`),
          })),
        ),
      );
      actions.push(
        snooze,
        button("Resolve", {
          kind: "success",
          icon: "check",
          small: true,
          title: "Mark as resolved",
          onClick: () => void setStatus("resolved", {}, `Conversation #${c.displayId} resolved`),
          attrs: { dataset: { action: "resolve" } },
        }),
      );
    } else {
      actions.push(
        button("Reopen", {
          kind: "secondary",
          icon: "rotate",
          small: true,
          title: "Re-open this conversation",
          onClick: () => void setStatus("open", {}, "Conversation re-opened"),
          attrs: { dataset: { action: "reopen" } },
        }),
      );
    }

    const sub: Array<HTMLElement | string | null> = [h("span", { class: "conv-id" }, `#${c.displayId}`), statusPill(c.status)];
    if (c.status === "snoozed" && c.snoozedUntil) sub.push(h("span", { class: "muted" }, `until ${dateTime(c.snoozedUntil)}`));
    if (c.waitingSince && (c.status === "open" || c.status === "snoozed")) {
      const ms = Date.now() - ts(c.waitingSince);
      sub.push(
        h(
          "span",
          { class: `wait waiting wait-${waitLevel(ms)}`, dataset: { headerWait: c.waitingSince } },
          icon("clock", 11),
          `waiting ${duration(ms)}`,
        ),
      );
    }
    if (c.csat) sub.push(csatChip(c.csat));
    const sla = slaStatus(c);
    if (sla) sub.push(sla);

    const control = (ic: "user" | "users" | "flag", label: string, el: HTMLElement) =>
      h("label", { class: "control", title: label }, icon(ic, 13), h("span", { class: "sr-only" }, label), el);
    replace(
      this.header,
      h(
        "div",
        { class: "conv-header-top" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-icon back",
            "aria-label": "Back to the list",
            onclick: () => app.openConversation(null),
          },
          icon("arrowLeft", 16),
        ),
        avatar(this.contact?.id ?? c.id, this.contact?.name, "lg"),
        h(
          "div",
          { class: "conv-title" },
          h("div", { class: "conv-title-row" }, h("h2", { class: "conv-name" }, name), verifiedBadge(Boolean(this.contact?.verified))),
          h("div", { class: "conv-sub" }, sub),
        ),
        h("div", { class: "conv-actions" }, actions),
        h(
          "button",
          {
            type: "button",
            class: `btn btn-ghost btn-icon${this.showDetails ? " active" : ""}`,
            title: this.showDetails ? "Hide customer details" : "Show customer details",
            "aria-label": "Toggle customer details",
            "aria-pressed": String(this.showDetails),
            onclick: () => this.toggleDetails(!this.showDetails),
          },
          icon("sidebar", 16),
        ),
      ),
      h(
        "div",
        { class: "conv-toolbar" },
        control("user", "Assignee", assignee),
        control("users", "Team", team),
        control("flag", "Priority", priority),
      ),
    );
  }

  /** The customer's rating arrived (live): in the header and the details. */
  showCsat(csat: NonNullable<Conversation["csat"]>): void {
    if (!this.conv) return;
    this.conv = { ...this.conv, csat };
    this.refreshHeader();
    this.details.update(this.conv);
  }

  toggleDetails(show: boolean): void {
    this.showDetails = show;
    this.el.classList.toggle("details-open", show);
    this.details.setVisible(show);
    this.refreshHeader(true);
  }

  async takeOver(): Promise<void> {
    const c = this.conv;
    if (!c) return;
    const opened = await this.app.act(api.post<Conversation>(`/conversations/${c.id}/status`, { status: "open" }));
    if (!opened) return;
    await this.app.act(
      api.post<Conversation>(`/conversations/${c.id}/assignment`, { assigneeId: this.app.me.id }),
      "You've taken over from the assistant",
    );
    this.composer.focus("reply");
  }

  tick(): void {
    const el = this.header.querySelector<HTMLElement>("[data-header-wait]");
    if (el) {
      const ms = Date.now() - ts(el.dataset.headerWait!);
      el.className = `wait waiting wait-${waitLevel(ms)}`;
      el.replaceChildren(icon("clock", 11), document.createTextNode(`waiting ${duration(ms)}`));
    }
    this.header.querySelectorAll<HTMLElement>(".sla-chip[data-sla-due]").forEach((chip) => updateSlaChip(chip));
  }

  // --- Pinned handoff note -------------------------------------------------------------

  private renderBanner(): void {
    const c = this.conv;
    const note = [...this.messages].reverse().find((m) => m.attributes?.kind === "handoff_note");
    if (!c || (!c.handoffReason && !note) || c.status === "pending") {
      this.banner.hidden = true;
      return;
    }
    const reason = c.handoffReason ?? note?.attributes.reason ?? null;
    this.banner.hidden = false;
    replace(
      this.banner,
      h("div", { class: "banner-icon" }, icon("alert", 16)),
      h(
        "div",
        { class: "banner-body" },
        h(
          "div",
          { class: "banner-title" },
          h("strong", null, "Handed off by the assistant"),
          reasonChip(reason),
          c.handedOffAt ? h("span", { class: "muted" }, dateTime(c.handedOffAt)) : null,
          h("span", { class: "banner-private" }, icon("lock", 11), "Internal"),
        ),
        note ? h("div", { class: "banner-summary" }, note.content) : h("div", { class: "banner-summary muted" }, "No summary was written."),
      ),
    );
  }

  // --- Thread --------------------------------------------------------------------------

  /** Adds messages from the server (socket, reply response, resync); ignores duplicates. */
  receive(items: Message[]): void {
    let appended = false;
    let needsFull = false;
    const stick = this.nearBottom();
    for (const m of items) {
      if (m.conversationId !== this.conversationId) continue;
      if (this.messages.some((x) => x.id === m.id)) continue;
      if (m.clientId && this.pending.has(m.clientId)) {
        this.pending.delete(m.clientId);
        this.threadInner.querySelector(`[data-client-id="${CSS.escape(m.clientId)}"]`)?.remove();
      }
      if (m.sender.type === "bot" && m.type === "outgoing") this.clearStreams();
      const last = this.messages[this.messages.length - 1];
      this.messages.push(m);
      if (last && m.seq < last.seq) {
        this.messages.sort((a, b) => a.seq - b.seq);
        needsFull = true;
      } else if (!needsFull) {
        this.appendMessage(m, last);
        appended = true;
      }
      if (m.attributes?.kind === "handoff_note") this.renderBanner();
    }
    if (needsFull) this.renderThread();
    if (appended || needsFull) {
      this.movePendingToEnd();
      if (stick) this.scrollToBottom(true);
      else this.newPill.hidden = false;
    }
  }

  /** A message already shown changed (the customer rated an answer): redrawn in place. */
  update(m: Message): void {
    const i = this.messages.findIndex((x) => x.id === m.id);
    if (i < 0) return;
    // Live events leave the trace out: keep the one loaded with the thread.
    const trace = this.messages[i]!.attributes?.trace;
    const next = { ...m, attributes: { ...(trace ? { trace } : {}), ...m.attributes } };
    this.messages[i] = next;
    const el = this.threadInner.querySelector(`[data-seq="${m.seq}"]`);
    el?.replaceWith(this.messageEl(next, Boolean(el?.classList.contains("grouped"))));
  }

  private renderThread(): void {
    this.threadInner.replaceChildren();
    if (!this.messages.length) this.threadInner.appendChild(h("div", { class: "thread-empty" }, "No messages yet."));
    let prev: Message | undefined;
    for (const m of this.messages) {
      this.appendMessage(m, prev);
      prev = m;
    }
    for (const p of this.pending.values()) this.threadInner.appendChild(this.pendingEl(p));
  }

  private appendMessage(m: Message, prev: Message | undefined): void {
    this.threadInner.querySelector(".thread-empty")?.remove();
    if (!prev || !sameDay(prev.createdAt, m.createdAt))
      this.threadInner.appendChild(h("div", { class: "day" }, h("span", null, dayLabel(m.createdAt))));
    const grouped = Boolean(
      prev &&
      sameDay(prev.createdAt, m.createdAt) &&
      prev.type === m.type &&
      prev.private === m.private &&
      prev.sender.type === m.sender.type &&
      prev.sender.id === m.sender.id &&
      ts(m.createdAt) - ts(prev.createdAt) < 5 * 60_000,
    );
    this.threadInner.appendChild(this.messageEl(m, grouped));
  }

  private messageEl(m: Message, grouped: boolean): HTMLElement {
    const time = h("time", { datetime: m.createdAt, title: dateTime(m.createdAt) }, clock(m.createdAt));
    if (m.type === "activity") {
      if (m.attributes?.kind === "handoff_note") {
        return h(
          "div",
          { class: "activity activity-handoff", dataset: { seq: String(m.seq) } },
          icon("users", 12),
          h("span", null, `Assistant handed off to the team · ${reasonLabel(m.attributes.reason ?? this.conv?.handoffReason)}`),
          time,
        );
      }
      return h("div", { class: "activity", dataset: { seq: String(m.seq) } }, h("span", null, m.content), time);
    }
    if (m.private) {
      return h(
        "div",
        { class: `msg msg-note${grouped ? " grouped" : ""}`, dataset: { seq: String(m.seq), kind: "note" } },
        h(
          "div",
          { class: "msg-col" },
          h(
            "div",
            { class: "bubble" },
            h("div", { class: "msg-label" }, icon("lock", 11), h("span", null, `Private note · ${this.senderName(m)}`)),
            h("div", { class: "md" }, renderMarkdown(m.content)),
          ),
          h("div", { class: "msg-meta" }, h("span", null, "Not visible to the customer"), time),
        ),
        grouped
          ? h("span", { class: "avatar-spacer" })
          : m.sender.type === "bot"
            ? avatar("bot", "Assistant", "sm", "bot")
            : avatar(m.sender.id ?? "agent", this.app.agentName(m.sender.id), "sm"),
      );
    }
    if (m.type === "incoming") {
      const senti = sentimentOf(m.attributes?.sentiment);
      return h(
        "div",
        { class: `msg msg-in${grouped ? " grouped" : ""}`, dataset: { seq: String(m.seq), kind: "incoming" } },
        grouped ? h("span", { class: "avatar-spacer" }) : avatar(this.contact?.id ?? m.conversationId, this.contact?.name, "sm"),
        h(
          "div",
          { class: "msg-col" },
          h(
            "div",
            { class: `bubble${senti?.label === "negative" ? " negative" : ""}` },
            h("div", { class: "plain" }, m.content),
            this.attachments(m),
          ),
          h("div", { class: "msg-meta" }, time, senti ? sentimentMarker(senti, true) : null),
        ),
      );
    }
    // Outgoing: the assistant or an agent.
    const bot = m.sender.type === "bot";
    return h(
      "div",
      {
        class: `msg msg-out ${bot ? "msg-bot" : "msg-agent"}${grouped ? " grouped" : ""}`,
        dataset: { seq: String(m.seq), kind: bot ? "bot" : "agent" },
      },
      h(
        "div",
        { class: "msg-col" },
        grouped
          ? null
          : h(
              "div",
              { class: "msg-sender" },
              bot ? h("span", { class: "assistant-tag" }, icon("sparkle", 11), "Assistant") : this.senderName(m),
            ),
        h("div", { class: "bubble" }, h("div", { class: "md" }, renderMarkdown(m.content)), this.attachments(m)),
        bot ? this.citations(m) : null,
        h("div", { class: "msg-meta" }, time, bot ? feedbackMarker(m.attributes?.feedback) : null),
      ),
      grouped
        ? h("span", { class: "avatar-spacer" })
        : bot
          ? avatar("bot", "Assistant", "sm", "bot")
          : avatar(m.sender.id ?? "agent", this.app.agentName(m.sender.id), "sm"),
    );
  }

  private senderName(m: Message): string {
    if (m.sender.type === "bot") return "Assistant";
    if (m.sender.type === "system") return "System";
    if (m.sender.type === "agent") return m.sender.id === this.app.me.id ? "You" : this.app.agentName(m.sender.id);
    return contactName(this.contact);
  }

  private attachments(m: Message): HTMLElement | null {
    if (!m.attachments?.length) return null;
    return h(
      "div",
      { class: "attachments" },
      m.attachments.map((a) => attachmentEl(a)),
    );
  }

  private citations(m: Message): HTMLElement | null {
    const raw = m.attributes?.citations;
    if (!Array.isArray(raw) || !raw.length) return null;
    const items = raw
      .map((c) => {
        if (typeof c === "string") return { label: c, title: c };
        if (c && typeof c === "object") {
          const o = c as Record<string, unknown>;
          const title =
            sourceLabel(typeof o.title === "string" ? o.title : null, typeof o.heading === "string" ? o.heading : null) ||
            (typeof o.path === "string" ? o.path : "Source");
          return { label: title, title: typeof o.path === "string" ? o.path : title };
        }
        return null;
      })
      .filter((x): x is { label: string; title: string } => x !== null);
    if (!items.length) return null;
    return h(
      "div",
      { class: "citations", "aria-label": "Sources" },
      h("span", { class: "citations-label" }, icon("book", 11), "Sources"),
      items.map((c, i) => h("span", { class: "citation", title: c.title }, h("span", { class: "citation-n" }, String(i + 1)), c.label)),
    );
  }

  // --- Sending (optimistic, idempotent by client id) ---------------------------------------

  addPending(p: { clientId: string; content: string; private: boolean; attachments: Message["attachments"] }): void {
    const entry: PendingMessage = { ...p, createdAt: new Date().toISOString(), error: null };
    this.pending.set(p.clientId, entry);
    this.threadInner.querySelector(".thread-empty")?.remove();
    this.threadInner.appendChild(this.pendingEl(entry));
    this.scrollToBottom(true);
  }

  confirmPending(clientId: string, m: Message): void {
    this.receive([m]);
    if (this.pending.delete(clientId)) this.threadInner.querySelector(`[data-client-id="${CSS.escape(clientId)}"]`)?.remove();
  }

  failPending(clientId: string, error: string): void {
    const p = this.pending.get(clientId);
    if (!p) return;
    p.error = error;
    this.threadInner.querySelector(`[data-client-id="${CSS.escape(clientId)}"]`)?.replaceWith(this.pendingEl(p));
  }

  private pendingEl(p: PendingMessage): HTMLElement {
    const retry = () => {
      p.error = null;
      this.threadInner.querySelector(`[data-client-id="${CSS.escape(p.clientId)}"]`)?.replaceWith(this.pendingEl(p));
      if (this.conversationId)
        void this.composer.deliver(
          this.conversationId,
          p.clientId,
          p.content,
          p.private,
          p.attachments.map((a) => a.id),
        );
    };
    return h(
      "div",
      {
        class: `msg msg-out ${p.private ? "msg-note" : "msg-agent"} pending${p.error ? " failed" : ""}`,
        dataset: { clientId: p.clientId },
      },
      h(
        "div",
        { class: "msg-col" },
        h(
          "div",
          { class: "bubble" },
          p.private ? h("div", { class: "msg-label" }, icon("lock", 11), h("span", null, "Private note · You")) : null,
          p.content ? h("div", { class: "plain" }, p.content) : null,
          p.attachments.length
            ? h(
                "div",
                { class: "attachments" },
                p.attachments.map((a) => attachmentEl(a)),
              )
            : null,
        ),
        h(
          "div",
          { class: "msg-meta" },
          p.error
            ? [
                h("span", { class: "error-text" }, icon("alert", 11), ` Not sent: ${p.error}`),
                h("button", { type: "button", class: "link-btn", onclick: retry }, "Retry"),
              ]
            : h("span", null, "Sending…"),
        ),
      ),
      h("span", { class: "avatar-spacer" }),
    );
  }

  private movePendingToEnd(): void {
    for (const p of this.pending.values()) {
      const el = this.threadInner.querySelector(`[data-client-id="${CSS.escape(p.clientId)}"]`);
      if (el) this.threadInner.appendChild(el);
    }
  }

  // --- Streaming, typing, scrolling -----------------------------------------------------------

  stream(e: StreamEvent): void {
    let s = this.streams.get(e.streamId);
    if (e.reset) {
      // The server retries this answer: its draft so far is void.
      if (s) {
        clearTimeout(s.timer);
        s.el.remove();
        this.streams.delete(e.streamId);
      }
      return;
    }
    if (!s) {
      const body = h("div", { class: "plain" });
      const el = h(
        "div",
        { class: "msg msg-out msg-bot streaming", dataset: { stream: e.streamId } },
        h(
          "div",
          { class: "msg-col" },
          h(
            "div",
            { class: "msg-sender" },
            h("span", { class: "assistant-tag" }, icon("sparkle", 11), "Assistant"),
            h("span", { class: "muted" }, " is writing…"),
          ),
          h("div", { class: "bubble" }, body),
        ),
        avatar("bot", "Assistant", "sm", "bot"),
      );
      s = { el, text: "" };
      this.streams.set(e.streamId, s);
      this.threadInner.appendChild(el);
    }
    const stick = this.nearBottom();
    s.text += e.delta ?? "";
    const body = s.el.querySelector(".plain");
    if (body) body.textContent = s.text;
    if (e.done) {
      clearTimeout(s.timer);
      const entry = s;
      s.timer = setTimeout(() => {
        entry.el.remove();
        this.streams.delete(e.streamId);
      }, 4000);
    }
    if (stick) this.scrollToBottom(false);
  }

  private clearStreams(): void {
    for (const s of this.streams.values()) {
      clearTimeout(s.timer);
      s.el.remove();
    }
    this.streams.clear();
  }

  showTyping(typing: boolean): void {
    this.typingEl.hidden = !typing;
    if (typing)
      replace(
        this.typingEl,
        h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
        `${contactName(this.contact)} is typing…`,
      );
  }

  private nearBottom(): boolean {
    return this.thread.scrollHeight - this.thread.scrollTop - this.thread.clientHeight < 80;
  }

  private scrollToBottom(smooth: boolean): void {
    this.newPill.hidden = true;
    requestAnimationFrame(() => this.thread.scrollTo({ top: this.thread.scrollHeight, behavior: smooth ? "smooth" : "auto" }));
  }
}

function snoozeOptions(): Array<{ label: string; hint: string; until: Date }> {
  const now = new Date();
  const inHour = new Date(now.getTime() + 3600_000);
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
  const days = (8 - now.getDay()) % 7 || 7;
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0);
  const fmt = (d: Date) => d.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
  return [
    { label: "1 hour", hint: fmt(inHour), until: inHour },
    { label: "Tomorrow morning", hint: fmt(tomorrow), until: tomorrow },
    { label: "Next week", hint: fmt(monday), until: monday },
  ];
}

/**
 * An attachment in the thread: images as thumbnails, anything else (PDF) as a link.
 * Only our own API's URLs are used: they are same-origin, so the agent's session
 * cookie authorises them (no token in the URL).
 */
export function attachmentEl(a: Message["attachments"][number]): HTMLElement {
  const url = /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/i.test(a.url) ? a.url : undefined;
  const size = a.size >= 1024 * 1024 ? `${(a.size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(a.size / 1024))} KB`;
  if (url && a.contentType.startsWith("image/")) {
    return h(
      "a",
      { class: "attachment attachment-image", href: url, target: "_blank", rel: "noopener noreferrer", title: `${a.name} · ${size}` },
      h("img", { src: url, alt: a.name, loading: "lazy", decoding: "async" }),
    );
  }
  return h(
    "a",
    { class: "attachment", href: url, target: "_blank", rel: "noopener noreferrer", title: size },
    icon("file", 12),
    h("span", { class: "attachment-name" }, a.name),
    h("span", { class: "attachment-size" }, size),
  );
}

/** The customer's 👍 / 👎 on an answer of the assistant, beside its time. */
function feedbackMarker(f: Message["attributes"]["feedback"]): HTMLElement | null {
  if (!f || (f.rating !== "helpful" && f.rating !== "not_helpful")) return null;
  const helpful = f.rating === "helpful";
  const what = helpful ? "helpful" : f.via === "words" ? "not helpful (said so in words)" : "not helpful";
  const label = `Customer marked this answer ${what}`;
  return h(
    "span",
    { class: `feedback-mark ${helpful ? "good" : "bad"}`, role: "img", title: label, "aria-label": label, dataset: { feedback: f.rating } },
    helpful ? "👍" : "👎",
  );
}

function csatChip(csat: NonNullable<Conversation["csat"]>): HTMLElement {
  return h(
    "span",
    {
      class: `csat-chip csat-${csat.rating >= 4 ? "good" : csat.rating === 3 ? "ok" : "bad"}`,
      title: csat.comment ? `Customer rating: ${csat.rating} / 5 — “${csat.comment}”` : `Customer rating: ${csat.rating} / 5`,
      dataset: { csat: String(csat.rating) },
    },
    "★".repeat(csat.rating),
    h("span", { class: "csat-off" }, "★".repeat(5 - csat.rating)),
    ` ${csat.rating}/5`,
  );
}

/** The header's service-level status: the next target's time left (or "Breached"), else how the targets ended. */
function slaStatus(c: Conversation): HTMLElement | null {
  const sla = c.sla;
  if (!sla) return null;
  const chip = slaChip(sla, true);
  if (chip) return h("span", { class: "conv-sla", dataset: { sla: sla.breached ? "breached" : "running" } }, chip);
  const ended = [
    ["First response", sla.firstResponse],
    ["Next response", sla.nextResponse],
    ["Resolution", sla.resolution],
  ] as const;
  const missed = ended.filter(([, t]) => t?.state === "missed").map(([label]) => label);
  const met = ended.some(([, t]) => t?.state === "met");
  if (!missed.length && !met) return null;
  return h(
    "span",
    { class: "conv-sla", dataset: { sla: missed.length ? "missed" : "met" } },
    h(
      "span",
      { class: `sla-chip ${missed.length ? "sla-breached" : "sla-running"}`, title: sla.policyName },
      icon("clock", 11),
      missed.length ? `${sla.policyName} · missed: ${missed.join(", ").toLowerCase()}` : `${sla.policyName} · met`,
    ),
  );
}
