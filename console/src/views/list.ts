import type { ConsoleApp } from "../app.ts";
import { VIEWS, routePath } from "../routes.ts";
import { h, replace } from "../dom.ts";
import { ago, contactName, duration, preview, ts, waitLevel } from "../format.ts";
import { icon } from "../icons.ts";
import type { Conversation } from "../types.ts";
import { avatar, emptyState, priorityMarker, reasonChip, sentimentMarker, spinner, statusPill } from "../ui.ts";

/** The middle pane: the current view's conversations, longest-waiting first. */
export class ConversationList {
  readonly el: HTMLElement;
  private readonly title = h("h1", { class: "list-title" });
  private readonly total = h("span", { class: "list-total" });
  private readonly items = h("div", { class: "list-items", role: "list" });
  private readonly search: HTMLInputElement;
  private readonly priority: HTMLSelectElement;
  private readonly sentiment: HTMLSelectElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly app: ConsoleApp) {
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
    const filterChange = () => {
      app.filters.priority = this.priority.value;
      app.filters.sentiment = this.sentiment.value;
      void app.loadList(true);
    };
    this.priority = h(
      "select",
      { class: "select select-sm", "aria-label": "Filter by priority", onchange: filterChange },
      h("option", { value: "" }, "Any priority"),
      ["urgent", "high", "medium", "low", "none"].map((p) =>
        h("option", { value: p }, p === "none" ? "No priority" : p[0]!.toUpperCase() + p.slice(1)),
      ),
    );
    this.sentiment = h(
      "select",
      { class: "select select-sm", "aria-label": "Filter by sentiment", onchange: filterChange },
      h("option", { value: "" }, "Any sentiment"),
      h("option", { value: "negative" }, "Negative"),
      h("option", { value: "neutral" }, "Neutral"),
      h("option", { value: "positive" }, "Positive"),
    );
    this.el = h(
      "section",
      { class: "list", "aria-label": "Conversations" },
      h(
        "header",
        { class: "list-header" },
        h("div", { class: "list-heading" }, this.title, this.total),
        h("div", { class: "search-wrap" }, icon("search", 14, "search-icon"), this.search),
        h("div", { class: "list-filters" }, this.priority, this.sentiment),
      ),
      this.items,
    );
  }

  render(): void {
    const app = this.app;
    const view = VIEWS.find((v) => v.id === app.currentView)!;
    this.title.textContent = view.label;
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
      const filtered = Boolean(app.filters.q || app.filters.priority || app.filters.sentiment);
      replace(
        this.items,
        emptyState(
          filtered ? "search" : "checkCircle",
          filtered ? "No matches" : "All clear",
          filtered ? "No conversation in this view matches your filters." : view.empty,
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
    const selected = app.pane.conversationId === c.id;
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
    this.items.querySelectorAll<HTMLElement>(".conv-item").forEach((el) => {
      const id = el.dataset.id!;
      const last = el.querySelector(".conv-item-last");
      if (last?.classList.contains("typing") && !this.app.isTyping(id)) this.render();
    });
  }
}
