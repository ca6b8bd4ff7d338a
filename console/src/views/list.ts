import type { ConversationListState, Conversations, Directory, Filters, Session } from "../consoleHost.ts";
import { VIEWS, routePath } from "../routes.ts";
import { h, replace } from "../dom.ts";
import { ago, contactName, duration, preview, STATUS_LABELS, ts, waitLevel } from "../format.ts";
import { icon } from "../icons.ts";
import type { Conversation, Status, View } from "../types.ts";
import { avatar, emptyState, priorityMarker, reasonChip, sentimentMarker, spinner, statusPill } from "../ui.ts";
import { slaChip, updateSlaChip } from "../sla.ts";

/** The middle pane: the current view's conversations, longest-waiting first (or by SLA time left). */
export class ConversationList {
  readonly el: HTMLElement;
  private readonly title = h("h1", { class: "list-title" });
  private readonly total = h("span", { class: "list-total" });
  private readonly items = h("div", { class: "list-items", role: "list" });
  private readonly search: HTMLInputElement;
  private readonly filtersEl = h("div", { class: "list-filters", role: "group", "aria-label": "Filters" });
  private readonly clearBtn: HTMLButtonElement;
  private readonly sortSelect: HTMLSelectElement;
  private filtersKey = "";
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly app: Session & Directory & Conversations & ConversationListState) {
    this.search = h("input", {
      type: "search",
      class: "input input-search",
      placeholder: "Search messages…",
      "aria-label": "Search conversations by message text",
      oninput: () => {
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => {
          app.filters.q = this.search.value;
          void app.loadList(true);
        }, 300);
      },
    });
    this.clearBtn = h(
      "button",
      {
        type: "button",
        class: "link-btn list-clear",
        hidden: true,
        dataset: { action: "clear-filters" },
        onclick: () => {
          app.clearFilters();
          this.search.value = "";
          this.renderFilters();
          void app.loadList(true);
        },
      },
      icon("x", 11),
      "Clear filters",
    );
    this.sortSelect = h(
      "select",
      {
        class: "select select-sm list-sort",
        "aria-label": "Sort conversations",
        title: "Sort conversations",
        dataset: { action: "sort" },
        onchange: () => {
          app.listSort = this.sortSelect.value === "sla" ? "sla" : "waiting";
          void app.loadList(true);
        },
      },
      h("option", { value: "waiting" }, "Waiting longest"),
      h("option", { value: "sla" }, "SLA time left"),
    );
    this.el = h(
      "section",
      { class: "list", "aria-label": "Conversations" },
      h(
        "header",
        { class: "list-header" },
        h(
          "div",
          { class: "list-heading" },
          this.title,
          this.total,
          h("span", { class: "conv-item-spacer" }),
          this.clearBtn,
          this.sortSelect,
        ),
        h("div", { class: "search-wrap" }, icon("search", 14, "search-icon"), this.search),
        this.filtersEl,
      ),
      this.items,
    );
    this.renderFilters();
  }

  /** The filter selects: status (where the view has more than one), team, inbox, label, priority, sentiment, customer segment. */
  renderFilters(): void {
    const app = this.app;
    const f = app.filters;
    const statuses = statusesOf(app.currentView);
    const key = JSON.stringify([
      app.currentView,
      f,
      app.teams?.map((t) => t.id),
      app.inboxes?.map((i) => i.id),
      app.labels?.map((l) => l.name),
      app.segments?.map((s) => [s.id, s.name]),
    ]);
    if (key === this.filtersKey) return;
    this.filtersKey = key;
    const select = (name: keyof Filters, label: string, any: string, options: Array<[string, string]>) => {
      // A value the directory doesn't list (a deleted label) stays selectable until cleared.
      const value = f[name];
      if (value && !options.some(([v]) => v === value)) options.push([value, value]);
      return h(
        "select",
        {
          class: `select select-sm${value ? " filter-active" : ""}`,
          "aria-label": label,
          // The selected name in full (the select is narrow).
          title: value ? `${label}: ${options.find(([v]) => v === value)![1]}` : label,
          dataset: { filter: name },
          value,
          onchange: (e: Event) => {
            app.filters[name] = (e.target as HTMLSelectElement).value;
            this.renderFilters();
            void app.loadList(true);
          },
        },
        h("option", { value: "" }, any),
        options.map(([v, text]) => h("option", { value: v }, text)),
      );
    };
    const channel = (c: string) =>
      ({ web: "Web", email: "E-mail", sms: "SMS", whatsapp: "WhatsApp", wechat: "WeChat", api: "API" })[c] ?? c;
    replace(
      this.filtersEl,
      statuses.length > 1
        ? select(
            "status",
            "Filter by status",
            "Status",
            statuses.map((s) => [s, STATUS_LABELS[s] ?? s]),
          )
        : null,
      select(
        "teamId",
        "Filter by team",
        "Team",
        (app.teams ?? []).map((t) => [t.id, t.name]),
      ),
      select(
        "inboxId",
        "Filter by inbox",
        "Inbox",
        (app.inboxes ?? []).map((i) => [i.id, `${i.name} · ${channel(i.channel)}`]),
      ),
      select(
        "label",
        "Filter by label",
        "Label",
        (app.labels ?? []).map((l) => [l.name, l.name]),
      ),
      select(
        "priority",
        "Filter by priority",
        "Priority",
        ["urgent", "high", "medium", "low", "none"].map((p) => [p, p === "none" ? "No priority" : p[0]!.toUpperCase() + p.slice(1)]),
      ),
      select("sentiment", "Filter by sentiment", "Sentiment", [
        ["negative", "Negative"],
        ["neutral", "Neutral"],
        ["positive", "Positive"],
      ]),
      app.segments?.length || f.segmentId
        ? select(
            "segmentId",
            "Filter by customer segment",
            "Segment",
            (app.segments ?? []).map((s) => [s.id, s.name]),
          )
        : null,
    );
    this.clearBtn.hidden = !app.hasFilters();
  }

  render(): void {
    const app = this.app;
    const view = VIEWS.find((v) => v.id === app.currentView)!;
    this.title.textContent = view.label;
    this.renderFilters();
    const { list } = app;
    this.total.textContent = list.loaded && !list.error ? String(list.total) : "";
    if (list.loading && !list.items.length) {
      replace(this.items, spinner("Loading conversations…"));
      return;
    }
    if (list.error) {
      replace(
        this.items,
        emptyState(
          "alert",
          "Couldn't load conversations",
          list.error,
          h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => void app.loadList(true) }, "Try again"),
        ),
      );
      return;
    }
    if (!list.items.length) {
      const filtered = app.hasFilters();
      replace(
        this.items,
        emptyState(
          filtered ? "search" : "checkCircle",
          filtered ? "No matches" : "All clear",
          filtered ? "No conversation in this view matches your filters." : view.empty,
          filtered
            ? h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => this.clearBtn.click() }, "Clear filters")
            : undefined,
        ),
      );
      return;
    }
    const scroll = this.items.scrollTop;
    replace(
      this.items,
      list.items.map((c) => this.item(c)),
    );
    this.items.scrollTop = scroll;
  }

  private item(c: Conversation): HTMLElement {
    const app = this.app;
    const selected = app.openConversationId === c.id;
    const unread = app.unread.has(c.id);
    const typing = app.isTyping(c.id);
    const name = contactName(c.contact);
    const href = routePath({ page: "inbox", view: app.currentView, id: c.id });
    const assignee =
      c.assigneeId && app.currentView !== "mine"
        ? h(
            "span",
            { class: "list-assignee", title: `Assigned to ${app.agentName(c.assigneeId)}` },
            icon("user", 11),
            c.assigneeId === app.me.id ? "You" : app.agentName(c.assigneeId),
          )
        : null;
    return h(
      "a",
      {
        href,
        role: "listitem",
        class: `conv-item${selected ? " selected" : ""}${unread ? " unread" : ""}`,
        dataset: { id: c.id },
        "aria-current": selected ? "true" : undefined,
        onclick: (e: MouseEvent) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          app.openConversation(c.id);
        },
      },
      avatar(c.contact?.id ?? c.id, c.contact?.name, "md"),
      h(
        "div",
        { class: "conv-item-body" },
        h(
          "div",
          { class: "conv-item-top" },
          h("span", { class: "conv-item-name" }, name),
          c.contact?.verified
            ? h(
                "span",
                { class: "verified-dot", title: "Verified customer" },
                icon("shield", 12),
                h("span", { class: "sr-only" }, "Verified"),
              )
            : null,
          unread ? h("span", { class: "unread-dot", title: "New messages" }) : null,
          h("span", { class: "conv-item-spacer" }),
          this.waitEl(c),
        ),
        h("div", { class: `conv-item-last${typing ? " typing" : ""}` }, typing ? "typing…" : preview(c.lastMessage) || "No messages yet"),
        h(
          "div",
          { class: "conv-item-meta" },
          h("span", { class: "conv-item-id" }, `#${c.displayId}`),
          app.currentView === "all" && c.status !== "open" ? statusPill(c.status) : null,
          c.status !== "resolved" ? reasonChip(c.handoffReason) : null,
          priorityMarker(c.priority),
          sentimentMarker(c.sentiment),
          slaChip(c.sla),
          h("span", { class: "conv-item-spacer" }),
          assignee,
        ),
      ),
    );
  }

  private waitEl(c: Conversation): HTMLElement {
    const el = h("span", { class: "wait", dataset: { since: c.waitingSince ?? "", activity: c.lastActivityAt } });
    this.updateWait(el);
    return el;
  }

  private updateWait(el: HTMLElement): void {
    const since = el.dataset.since;
    const now = Date.now();
    if (since) {
      const ms = now - ts(since);
      el.className = `wait waiting wait-${waitLevel(ms)}`;
      el.replaceChildren(icon("clock", 11), document.createTextNode(duration(ms)));
      el.title = `Waiting for a reply for ${duration(ms)}`;
    } else {
      el.className = "wait";
      el.textContent = ago(el.dataset.activity);
      el.title = "Last activity";
    }
  }

  /** Updates waiting times in place (every 15 s). */
  tick(): void {
    this.items.querySelectorAll<HTMLElement>(".wait").forEach((el) => this.updateWait(el));
    this.items.querySelectorAll<HTMLElement>(".sla-chip").forEach((el) => updateSlaChip(el));
    this.items.querySelectorAll<HTMLElement>(".conv-item").forEach((el) => {
      const id = el.dataset.id!;
      const last = el.querySelector(".conv-item-last");
      if (last?.classList.contains("typing") && !this.app.isTyping(id)) this.render();
    });
  }
}

/** The statuses a view can hold, for its status filter (none when the view fixes the status). */
export function statusesOf(view: View): Status[] {
  if (view === "all") return ["pending", "open", "snoozed", "resolved"];
  if (view === "mine") return ["open", "snoozed"];
  return [];
}
