import { renderMarkdown, safeUrl } from "../markdown.ts";
import type { ChatItem } from "../chat.ts";
import type { FeedbackState } from "../feedback.ts";
import { format, type Strings } from "../locales/index.ts";
import type { AnswerRating, Attachment, Citation } from "../types.ts";
import { h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import { fileSize } from "../../../shared/fileSize.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** Lines of one sender less than this apart form a group (one label, one avatar, one time). */
const GROUP_GAP_MS = 5 * 60_000;

interface Row {
  el: HTMLElement;
  sig: string;
}

/**
 * The transcript's lines in the log (a live region): keyed, so that a message that changes
 * (acknowledged, streamed) is redrawn alone and the log announces only new lines.
 */
export class Transcript {
  readonly el: HTMLElement = h("div", {
    class: "bd-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-atomic": "false",
  });
  private rows = new Map<string, Row>();

  constructor(
    private readonly actions: Pick<ViewActions, "retry" | "discard" | "rateAnswer" | "talkToPerson" | "openAttachment" | "attachmentSrc">,
  ) {}

  update(state: ViewState) {
    const { s, locale } = state;
    const greeting: ChatItem = {
      key: "greeting",
      type: "outgoing",
      sender: "bot",
      content: state.greeting,
      attributes: {},
      attachments: [],
      createdAt: "",
    };
    const items = state.greeting ? [greeting, ...state.items] : state.items;
    const seen = new Set<string>();
    let agentName: string | undefined;
    const time = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" });
    const day = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
    const today = new Date().toDateString();
    const when = (iso: string) => {
      if (!iso) return "";
      const d = new Date(iso);
      if (isNaN(d.getTime())) return "";
      return d.toDateString() === today ? time.format(d) : `${day.format(d)} ${time.format(d)}`;
    };

    let index = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.type === "activity" && item.attributes.kind === "assigned") agentName = item.attributes.agentName ?? undefined;
      const prev = items[i - 1];
      const next = items[i + 1];
      const first = !sameGroup(prev, item);
      const last = !sameGroup(item, next);
      // The message's own sender first: a colleague may answer in place of the assigned agent.
      const name = item.sender === "agent" ? (item.senderName ?? agentName) : undefined;
      const rated = item.id ? state.feedback[item.id] : undefined;
      // The verdict is painted into the row in place (paintFeedback), not redrawn: a new row
      // would be announced again by the log and would take the focus from the button.
      const { feedback: _verdict, ...attributes } = item.attributes;
      const sig = JSON.stringify([
        locale,
        item.id,
        item.content,
        item.state,
        item.error,
        item.streaming,
        first,
        last,
        name,
        attributes,
        !!rated,
        item.attachments.length,
        item.createdAt.slice(0, 16),
      ]);
      seen.add(item.key);
      let row = this.rows.get(item.key);
      if (!row || row.sig !== sig) {
        const el = this.buildRow(item, { first, last, name, s, when, rateable: !!rated });
        if (row) row.el.replaceWith(el);
        row = { el, sig };
        this.rows.set(item.key, row);
      }
      if (rated) paintFeedback(row.el, rated, s, state.showHuman);
      const at = this.el.children[index];
      if (at !== row.el) this.el.insertBefore(row.el, at ?? null);
      index++;
    }
    for (const [key, row] of this.rows) {
      if (!seen.has(key)) {
        row.el.remove();
        this.rows.delete(key);
      }
    }
  }

  private buildRow(
    item: ChatItem,
    o: { first: boolean; last: boolean; name?: string; s: Strings; when: (iso: string) => string; rateable?: boolean },
  ): HTMLElement {
    const { s } = o;
    if (item.type === "activity") {
      return h("div", { class: "bd-activity", "data-key": item.key }, activityText(item, s));
    }
    if (item.sender === "contact") {
      const row = h("div", { class: "bd-row bd-row--contact", "data-key": item.key, "data-state": item.state, "data-first": o.first });
      const col = h(
        "div",
        { class: "bd-col" },
        h("span", { class: "bd-sr" }, `${s.messageFromYou}: `),
        item.content ? h("div", { class: "bd-bubble" }, item.content) : null,
        this.files(item.attachments, s),
      );
      if (o.last || item.state !== "sent") col.appendChild(this.meta(item, o.when, s));
      row.appendChild(col);
      return row;
    }
    const who = item.sender === "agent" ? "agent" : "bot";
    const row = h("div", {
      class: `bd-row bd-row--${who}`,
      "data-key": item.key,
      "data-first": o.first,
      "aria-hidden": item.streaming ? "true" : undefined,
    });
    const avatar =
      who === "bot"
        ? h("div", { class: "bd-avatar", "aria-hidden": "true" }, icon(icons.mark))
        : h("div", { class: "bd-avatar bd-avatar--agent", "aria-hidden": "true" }, initials(o.name) || icon(icons.person));
    if (!o.last) avatar.setAttribute("data-hide", "");
    const col = h("div", { class: "bd-col" });
    const label = who === "bot" ? s.botLabel : o.name || s.agentLabel;
    if (o.first) {
      col.appendChild(
        h(
          "div",
          { class: "bd-label", "aria-hidden": "true" },
          label,
          who === "bot" ? h("span", { class: "bd-ai" }, s.aiBadge) : o.name ? h("span", { class: "bd-role" }, `· ${s.agentLabel}`) : null,
        ),
      );
    }
    col.appendChild(h("span", { class: "bd-sr" }, `${who === "bot" ? s.messageFromBot : format(s.messageFromAgent, { name: label })}: `));
    const bubble = h("div", { class: "bd-bubble bd-md", "data-streaming": !!item.streaming });
    bubble.appendChild(renderMarkdown(item.content));
    col.appendChild(bubble);
    const sources = citations(item.attributes.citations, s);
    if (sources) col.appendChild(sources);
    if (o.rateable && item.id) col.appendChild(this.feedbackGroup(item.id, s));
    const files = this.files(item.attachments, s);
    if (files) col.appendChild(files);
    if (o.last && !item.streaming && item.createdAt) col.appendChild(this.meta(item, o.when, s));
    row.append(avatar, col);
    return row;
  }

  /**
   * 👍 / 👎 under an answer: toggle buttons (aria-pressed) in a named group, a status
   * line that thanks (or apologises, and offers the existing "talk to a person"), and
   * says when a click was not saved. Drawn once per row; paintFeedback shows the state.
   */
  private feedbackGroup(messageId: string, s: Strings): HTMLElement {
    const button = (rating: AnswerRating, emoji: string, label: string) => {
      const b = h("button", {
        type: "button",
        class: "bd-fb",
        "data-rating": rating,
        "aria-pressed": "false",
        "aria-label": label,
        title: label,
      });
      b.appendChild(h("span", { "aria-hidden": "true" }, emoji));
      b.addEventListener("click", () => this.actions.rateAnswer(messageId, rating));
      return b;
    };
    const human = h("button", { type: "button", class: "bd-link bd-fb-human", hidden: true }, icon(icons.person), s.talkToPerson);
    human.addEventListener("click", () => this.actions.talkToPerson());
    return h(
      "div",
      { class: "bd-feedback", role: "group", "aria-label": s.feedbackQuestion },
      button("helpful", "👍", s.feedbackHelpful),
      button("not_helpful", "👎", s.feedbackNotHelpful),
      h("span", { class: "bd-fb-note", role: "status" }),
      human,
    );
  }

  private meta(item: ChatItem, when: (iso: string) => string, s: Strings): HTMLElement {
    const meta = h("div", { class: "bd-meta", "data-state": item.state });
    const t = when(item.createdAt);
    if (item.sender !== "contact") {
      meta.textContent = t;
      return meta;
    }
    const uploading = item.attachments.some((a) => !a.id);
    const stateText =
      item.state === "sent"
        ? s.sent
        : item.state === "failed"
          ? s.failed
          : item.state === "queued"
            ? s.queued
            : uploading
              ? s.uploading
              : s.sending;
    if (item.state === "failed") {
      meta.append(icon(icons.alert), h("span", {}, item.error ? `${s.failed}: ${item.error}` : s.failed));
      // A refused file (wrong type, too large) cannot be retried, only removed.
      const refused = !!item.error && item.attachments.some((a) => !a.id);
      const retry = h("button", { type: "button", class: "bd-retry" }, refused ? s.dismiss : s.retry);
      retry.addEventListener(
        "click",
        () => item.clientId && (refused ? this.actions.discard(item.clientId) : this.actions.retry(item.clientId)),
      );
      meta.appendChild(retry);
    } else {
      meta.append(h("span", {}, item.state === "sent" && t ? `${t} · ${stateText}` : stateText));
    }
    return meta;
  }

  /** Thumbnails for images, a named link for documents. Sources come through the widget (authorised fetch → blob URL). */
  private files(list: Attachment[], s: Strings): HTMLElement | null {
    if (!list.length) return null;
    const box = h("div", { class: "bd-files" });
    for (const a of list) {
      const name = a.name || s.attachment;
      const open = format(s.fileOpen, { name });
      if (/^image\//.test(a.contentType || "")) {
        const img = h("img", { class: "bd-thumb", alt: name });
        const b = h("button", { type: "button", class: "bd-file bd-file--img", title: open, "aria-label": open }, img);
        b.addEventListener("click", () => this.actions.openAttachment(a));
        void this.actions.attachmentSrc(a).then((url) => url && (img.src = url));
        box.appendChild(b);
      } else {
        const b = h(
          "button",
          { type: "button", class: "bd-file", title: open },
          icon(icons.doc),
          h("span", { class: "bd-file-name" }, name),
          a.size ? h("span", { class: "bd-file-size" }, fileSize(a.size)) : null,
        );
        b.addEventListener("click", () => this.actions.openAttachment(a));
        box.appendChild(b);
      }
    }
    return box;
  }
}

/** Shows an answer's verdict in its drawn 👍 / 👎 group (feedbackGroup), without redrawing the row. */
function paintFeedback(row: HTMLElement, f: FeedbackState, s: Strings, showHuman: boolean) {
  const group = row.querySelector<HTMLElement>(".bd-feedback");
  if (!group) return;
  group.toggleAttribute("data-sending", f.sending);
  for (const b of Array.from(group.querySelectorAll<HTMLButtonElement>(".bd-fb"))) {
    b.setAttribute("aria-pressed", String(b.dataset.rating === f.rating));
    b.setAttribute("aria-disabled", String(f.sending));
  }
  const note = group.querySelector<HTMLElement>(".bd-fb-note")!;
  const text = f.failed ? s.feedbackError : f.justRated ? (f.rating === "helpful" ? s.feedbackThanks : s.feedbackSorry) : "";
  if (note.textContent !== text) note.textContent = text;
  note.toggleAttribute("data-error", f.failed);
  // After "not helpful", the way to a person the widget already has (while the assistant has the chat).
  group.querySelector<HTMLElement>(".bd-fb-human")!.hidden = !(f.justRated && f.rating === "not_helpful" && showHuman);
}

function sameGroup(a: ChatItem | undefined, b: ChatItem | undefined): boolean {
  if (!a || !b || a.type === "activity" || b.type === "activity" || a.sender !== b.sender) return false;
  // Another agent (or the same one under a new name) starts a new group, labelled with their name.
  if (a.senderName !== b.senderName) return false;
  if (!a.createdAt || !b.createdAt) return true;
  return Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) < GROUP_GAP_MS;
}

function initials(name?: string): string {
  if (!name) return "";
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "";
  if (/[\u3400-\u9fff]/.test(name)) return name.trim().slice(-2);
  return parts.length === 1 ? parts[0]!.slice(0, 2).toUpperCase() : (parts[0]![0]! + parts[parts.length - 1]![0]!).toUpperCase();
}

function activityText(item: ChatItem, s: Strings): string {
  if (item.local) return (s as Record<string, string>)[item.content] ?? item.content;
  const a = item.attributes;
  if (a.kind === "status") {
    if (a.status === "resolved") return s.activityResolved;
    if (a.status === "open") return s.activityOpen;
    if (a.status === "pending") return s.activityPending;
    if (a.status === "snoozed") return s.activitySnoozed;
  }
  if (a.kind === "assigned" && a.agentName) return format(s.activityAssigned, { name: a.agentName });
  if (a.kind === "follow_up" && typeof a.email === "string") return format(s.followUpSet, { email: a.email });
  return item.content;
}

function citations(list: Citation[] | undefined, s: Strings): HTMLElement | undefined {
  if (!Array.isArray(list) || !list.length) return undefined;
  const box = h("div", { class: "bd-sources" }, h("span", {}, `${s.sources}:`));
  const seen = new Set<string>();
  for (const c of list) {
    if (!c || typeof c !== "object") continue;
    const href = safeUrl(c.url, location.href);
    const title = (c.title || c.path || href || "").trim();
    if (!title || seen.has(href ?? title)) continue;
    seen.add(href ?? title);
    const content = [icon(icons.doc), h("span", {}, title)];
    box.appendChild(
      href
        ? h("a", { class: "bd-source", href, target: "_blank", rel: "noopener noreferrer", title }, ...content)
        : h("span", { class: "bd-source" }, ...content),
    );
    if (seen.size >= 4) break;
  }
  return seen.size ? box : undefined;
}
