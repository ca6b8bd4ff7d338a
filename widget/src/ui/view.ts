import { css } from "./styles.ts";
import { icons } from "./icons.ts";
import { h, icon } from "./dom.ts";
import { renderMarkdown, safeUrl } from "../markdown.ts";
import type { ChatItem } from "../chat.ts";
import { format, type Strings } from "../locales/index.ts";
import type { AnswerRating, Attachment, Citation } from "../types.ts";
import type { FeedbackState } from "../feedback.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

interface Row {
  el: HTMLElement;
  sig: string;
}

const FOCUSABLE = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';
const GROUP_GAP_MS = 5 * 60_000;

/**
 * The widget's DOM, inside a shadow root. Built once; `update()` patches it:
 * transcript rows are keyed so that a message that changes (acknowledged,
 * streamed) is redrawn alone and the live region announces only new lines.
 */
export class View {
  readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly root: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly launcherIcon: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly previewTitle: HTMLElement;
  private readonly previewText: HTMLElement;
  private readonly previewClose: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly title: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly dot: HTMLElement;
  private readonly closeBtn: HTMLButtonElement;
  private readonly banner: HTMLElement;
  private readonly scroll: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly csatBox: HTMLElement;
  private readonly npsBox: HTMLElement;
  private readonly newBox: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly inputLabel: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly securityText: HTMLElement;
  private readonly attachBtn: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private readonly preChatBox: HTMLElement;
  private readonly awayBox: HTMLElement;
  private readonly stepUpBox: HTMLElement;
  private stepUpSig = "";
  private preChatSig = "";
  private transcriptSig = "";
  private readonly transcriptBox: HTMLElement;
  private awaySig = "";

  private rows = new Map<string, Row>();
  private state?: ViewState;
  private composing = false;
  private chipsSig = "";
  private csatSig = "";
  private csatRating = 0;
  private csatComment = "";
  private npsSig = "";
  private npsScore: number | null = null;
  private npsComment = "";
  private wasOpen = false;
  private lastKey = "";

  constructor(private readonly actions: ViewActions) {
    this.host = h("div", { id: "bankdesk-widget", "data-bankdesk": "" });
    this.shadow = this.host.attachShadow({ mode: "open" });
    this.adoptStyles();

    this.badge = h("span", { class: "bd-badge", "aria-hidden": "true", hidden: true });
    this.launcherIcon = h("span", { "aria-hidden": "true" });
    this.launcher = h(
      "button",
      { type: "button", class: "bd-launcher", "aria-controls": "bd-panel", "aria-expanded": "false" },
      this.launcherIcon,
      this.badge,
    );
    this.launcher.addEventListener("click", () => this.actions.toggle());

    this.previewTitle = h("div", { class: "bd-preview-title" });
    this.previewText = h("div", { class: "bd-preview-text" });
    this.previewClose = h("button", { type: "button", class: "bd-preview-close" }, icon(icons.close));
    this.previewClose.addEventListener("click", (e) => {
      e.stopPropagation();
      this.actions.dismissPreview();
    });
    const previewAvatar = h("div", { class: "bd-avatar" }, icon(icons.mark));
    this.preview = h(
      "div",
      { class: "bd-preview", role: "button", tabindex: "0", hidden: true },
      previewAvatar,
      h("div", { class: "bd-preview-body" }, this.previewTitle, this.previewText),
      this.previewClose,
    );
    this.preview.addEventListener("click", () => this.actions.open());
    this.preview.addEventListener("keydown", (e) => {
      if (e.target === this.preview && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        this.actions.open();
      }
    });

    // Header
    this.title = h("h2", { class: "bd-title", id: "bd-title" });
    this.dot = h("span", { class: "bd-dot", "aria-hidden": "true" });
    this.statusText = h("span", {});
    this.closeBtn = h("button", { type: "button", class: "bd-close" }, icon(icons.close));
    this.closeBtn.addEventListener("click", () => this.actions.close());
    const header = h(
      "div",
      { class: "bd-header" },
      h("div", { class: "bd-logo", "aria-hidden": "true" }, icon(icons.mark)),
      h("div", { class: "bd-titles" }, this.title, h("p", { class: "bd-status", role: "status" }, this.dot, this.statusText)),
      this.closeBtn,
    );

    this.banner = h("div", { class: "bd-banner", role: "status", hidden: true });

    // Transcript
    this.log = h("div", { class: "bd-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-atomic": "false" });
    this.typing = h("div", { class: "bd-typing", hidden: true });
    this.csatBox = h("div", { hidden: true });
    this.npsBox = h("div", { hidden: true });
    this.newBox = h("div", { class: "bd-new", hidden: true });
    this.transcriptBox = h("div", { class: "bd-transcript", hidden: true });
    this.preChatBox = h("div", { hidden: true });
    this.awayBox = h("div", { hidden: true });
    this.stepUpBox = h("div", { hidden: true });
    this.scroll = h(
      "div",
      { class: "bd-scroll", tabindex: "0" },
      this.log,
      this.stepUpBox,
      this.typing,
      this.preChatBox,
      this.awayBox,
      this.csatBox,
      this.npsBox,
      this.newBox,
      this.transcriptBox,
    );

    this.chips = h("div", { class: "bd-chips", role: "group", hidden: true });

    // Composer
    this.inputLabel = h("label", { class: "bd-sr", for: "bd-input" });
    this.input = h("textarea", { class: "bd-input", id: "bd-input", rows: "1", autocomplete: "off", enterkeyhint: "send" });
    this.sendBtn = h("button", { type: "submit", class: "bd-send", "aria-disabled": "true" }, icon(icons.send));
    this.fileInput = h("input", {
      type: "file",
      class: "bd-sr",
      tabindex: "-1",
      "aria-hidden": "true",
      accept: "image/png,image/jpeg,image/gif,image/webp,application/pdf",
    });
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files && this.fileInput.files[0];
      this.fileInput.value = "";
      if (file) this.actions.attach(file);
    });
    this.attachBtn = h("button", { type: "button", class: "bd-attach" }, icon(icons.clip));
    this.attachBtn.addEventListener("click", () => this.fileInput.click());
    this.form = h(
      "form",
      { class: "bd-composer", novalidate: true },
      this.attachBtn,
      this.fileInput,
      this.inputLabel,
      this.input,
      this.sendBtn,
    );
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("compositionstart", () => (this.composing = true));
    this.input.addEventListener("compositionend", () => (this.composing = false));
    this.input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
      // Enter that confirms an IME candidate (Chinese pinyin, zhuyin…) must not send.
      if (e.isComposing || this.composing || e.keyCode === 229) return;
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("input", () => {
      this.autosize();
      this.syncSend();
      if (this.input.value.trim()) this.actions.typing();
    });

    this.securityText = h("span", {});
    const foot = h("div", { class: "bd-foot" }, icon(icons.lock), this.securityText);

    this.panel = h(
      "div",
      { class: "bd-panel", id: "bd-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "bd-title", hidden: true },
      header,
      this.banner,
      this.scroll,
      this.chips,
      this.form,
      foot,
    );
    this.panel.addEventListener("keydown", (e) => this.onPanelKey(e));

    this.root = h("div", { class: "bd-root" }, this.preview, this.panel, this.launcher);
    this.shadow.appendChild(this.root);
  }

  private adoptStyles() {
    // A constructed stylesheet is not inline style: it works under a strict CSP.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      (this.shadow as ShadowRoot & { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets = [sheet];
    } catch {
      this.shadow.appendChild(h("style", {}, css));
    }
  }

  mount(): void {
    if (!this.host.isConnected) document.body.appendChild(this.host);
  }

  destroy(): void {
    this.host.remove();
  }

  focusInput(): void {
    this.input.focus({ preventScroll: true });
  }

  focusLauncher(): void {
    this.launcher.focus({ preventScroll: true });
  }

  /** True while focus is inside the widget. */
  hasFocus(): boolean {
    return !!this.shadow.activeElement;
  }

  private submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (this.state && text.length > this.state.maxLength) return;
    this.actions.send(text);
    this.input.value = "";
    this.autosize();
    this.syncSend();
  }

  private autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 132)}px`;
  }

  private syncSend() {
    this.sendBtn.setAttribute("aria-disabled", this.input.value.trim() ? "false" : "true");
  }

  private onPanelKey(e: KeyboardEvent) {
    if (e.key === "Escape" && !e.isComposing && !this.composing) {
      e.preventDefault();
      e.stopPropagation();
      this.actions.close();
      return;
    }
    if (e.key !== "Tab") return;
    const nodes = Array.from(this.panel.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (n) => n.getClientRects().length > 0 && !n.closest("[hidden]"),
    );
    if (!nodes.length) return;
    const first = nodes[0]!;
    const last = nodes[nodes.length - 1]!;
    const active = this.shadow.activeElement;
    if (e.shiftKey && (active === first || !this.panel.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.panel.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  update(state: ViewState): void {
    const prev = this.state;
    this.state = state;
    const { s } = state;
    if (state.color) this.root.style.setProperty("--p", state.color);
    else this.root.style.removeProperty("--p");
    this.root.toggleAttribute("data-open", state.open);
    this.root.dataset.connected = String(state.connected);
    this.root.setAttribute("lang", state.locale);

    // Launcher
    this.launcher.setAttribute("aria-expanded", String(state.open));
    this.launcher.setAttribute(
      "aria-label",
      state.open ? s.closeChat : state.unread ? format(s.openChatUnread, { n: state.unread }) : s.openChat,
    );
    const launcherSvg = state.open ? icons.chevronDown : icons.chat;
    if (this.launcherIcon.dataset.icon !== (state.open ? "down" : "chat")) {
      this.launcherIcon.dataset.icon = state.open ? "down" : "chat";
      this.launcherIcon.replaceChildren(icon(launcherSvg));
    }
    this.badge.hidden = !state.unread || state.open;
    this.badge.textContent = state.unread > 9 ? "9+" : String(state.unread);

    // Preview of a reply while closed
    this.preview.hidden = state.open || !state.preview;
    if (state.preview) {
      this.previewTitle.textContent = state.preview.title;
      this.previewText.textContent = state.preview.text;
      this.preview.setAttribute("aria-label", `${s.newMessage}: ${state.preview.title}`);
    }
    this.previewClose.setAttribute("aria-label", s.dismiss);

    // Panel and header
    this.panel.hidden = !state.open;
    this.title.textContent = state.title;
    this.closeBtn.setAttribute("aria-label", s.closeChat);
    const [tone, status] =
      state.phase === "resolved"
        ? ["off", s.statusResolved]
        : state.phase === "agent"
          ? ["on", state.agentName ? format(s.statusAgent, { name: state.agentName }) : s.statusAgentUnnamed]
          : state.phase === "waiting"
            ? ["wait", state.teamAway ? s.statusAway : s.statusWaiting]
            : ["on", s.statusAssistant];
    this.dot.dataset.tone = tone;
    this.statusText.textContent = status;

    // Banner
    this.banner.hidden = !state.banner;
    if (state.banner) {
      this.banner.dataset.tone = state.banner.tone;
      this.banner.replaceChildren(icon(icons.alert), h("span", {}, state.banner.text));
    }

    // Composer texts
    if (!prev || prev.locale !== state.locale) {
      this.inputLabel.textContent = s.inputLabel;
      this.input.placeholder = s.placeholder;
      this.sendBtn.setAttribute("aria-label", s.send);
      this.attachBtn.setAttribute("aria-label", s.attach);
      this.attachBtn.title = s.attach;
      this.securityText.textContent = s.security;
      this.chips.setAttribute("aria-label", s.suggestions);
      this.scroll.setAttribute("aria-label", state.title);
    }
    this.input.maxLength = state.maxLength;

    const atBottom = this.scroll.scrollHeight - this.scroll.scrollTop - this.scroll.clientHeight < 96;
    this.renderRows(state);
    this.renderTyping(state);
    this.renderCsat(state);
    this.renderNps(state);
    this.renderNew(state);
    this.renderTranscript(state);
    this.renderChips(state);
    this.renderPreChat(state);
    this.renderAway(state);
    this.renderStepUp(state);
    this.form.hidden = !!state.preChat;
    if (state.preChat) this.chips.hidden = true;

    const items = state.items;
    const lastItem = items[items.length - 1];
    const lastKey = lastItem?.key ?? "";
    const ownNew = lastKey !== this.lastKey && lastItem?.sender === "contact";
    this.lastKey = lastKey;
    const opening = state.open && !this.wasOpen;
    this.wasOpen = state.open;
    if (state.open && (atBottom || ownNew || opening)) this.scrollToEnd();
  }

  private scrollToEnd() {
    this.scroll.scrollTop = this.scroll.scrollHeight;
    requestAnimationFrame(() => (this.scroll.scrollTop = this.scroll.scrollHeight));
  }

  private renderRows(state: ViewState) {
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
      const at = this.log.children[index];
      if (at !== row.el) this.log.insertBefore(row.el, at ?? null);
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
          a.size ? h("span", { class: "bd-file-size" }, bytes(a.size)) : null,
        );
        b.addEventListener("click", () => this.actions.openAttachment(a));
        box.appendChild(b);
      }
    }
    return box;
  }

  private renderPreChat(state: ViewState) {
    const p = state.preChat;
    this.preChatBox.hidden = !p;
    if (!p) {
      if (this.preChatSig) this.preChatBox.replaceChildren();
      this.preChatSig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, p.fields]);
    if (sig !== this.preChatSig) {
      this.preChatSig = sig;
      const form = h("form", { class: "bd-card", novalidate: true, "aria-labelledby": "bd-pc-title" });
      form.append(
        h("h3", { class: "bd-card-title", id: "bd-pc-title" }, s.preChatTitle),
        h("p", { class: "bd-card-text" }, s.preChatIntro),
      );
      const labels = { name: s.fieldName, email: s.fieldEmail, phone: s.fieldPhone };
      const kinds = { name: ["text", "name"], email: ["email", "email"], phone: ["tel", "tel"] } as const;
      for (const f of p.fields) {
        const id = `bd-pc-${f.name}`;
        form.appendChild(
          h(
            "div",
            { class: "bd-field" },
            h("label", { for: id }, labels[f.name], f.required ? null : h("span", { class: "bd-opt" }, ` (${s.optional})`)),
            h("input", {
              id,
              name: f.name,
              type: kinds[f.name][0],
              autocomplete: kinds[f.name][1],
              maxlength: "200",
              required: f.required,
              "aria-describedby": `${id}-err`,
            }),
            h("p", { class: "bd-field-err", id: `${id}-err`, role: "alert" }),
          ),
        );
      }
      form.append(
        h("p", { class: "bd-field-err", "data-for": "form", role: "alert" }),
        h("button", { type: "submit", class: "bd-btn bd-btn--wide" }, s.startChat),
      );
      form.addEventListener("input", clearError);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const values: Record<string, string> = {};
        for (const input of Array.from(form.querySelectorAll("input"))) if (input.value.trim()) values[input.name] = input.value.trim();
        this.actions.submitPreChat(values);
      });
      this.preChatBox.replaceChildren(form);
      setTimeout(() => form.querySelector("input")?.focus({ preventScroll: true }), 0);
    }
    for (const err of Array.from(this.preChatBox.querySelectorAll<HTMLElement>(".bd-field-err"))) {
      const key = (err.dataset.for || err.id.slice(6, -4)) as keyof typeof p.errors;
      err.textContent = p.errors[key] || "";
      err.hidden = !p.errors[key];
      const input = err.parentElement?.querySelector("input");
      if (input) input.setAttribute("aria-invalid", String(!!p.errors[key]));
    }
    const submit = this.preChatBox.querySelector<HTMLButtonElement>("button[type=submit]");
    if (submit) submit.disabled = p.sending;
  }

  private renderAway(state: ViewState) {
    const a = state.away;
    this.awayBox.hidden = !a;
    if (!a) {
      if (this.awaySig) this.awayBox.replaceChildren();
      this.awaySig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, a.hours]);
    if (sig !== this.awaySig) {
      this.awaySig = sig;
      const input = h("input", {
        id: "bd-away-email",
        type: "email",
        autocomplete: "email",
        maxlength: "200",
        required: true,
        "aria-describedby": "bd-away-err",
      });
      input.value = a.email;
      const form = h(
        "form",
        { class: "bd-card bd-away", novalidate: true, "aria-labelledby": "bd-away-title" },
        h("div", { class: "bd-card-icon", "aria-hidden": "true" }, icon(icons.mail)),
        h("h3", { class: "bd-card-title", id: "bd-away-title" }, s.awayTitle),
        h("p", { class: "bd-card-text" }, s.awayText),
        a.hours ? h("p", { class: "bd-card-text bd-hours" }, format(s.awayHours, { hours: a.hours })) : null,
        h(
          "div",
          { class: "bd-field" },
          h("label", { for: "bd-away-email" }, s.fieldEmail),
          input,
          h("p", { class: "bd-field-err", id: "bd-away-err", role: "alert" }),
        ),
        h("button", { type: "submit", class: "bd-btn bd-btn--wide" }, s.leaveMessage),
      );
      form.addEventListener("input", clearError);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.actions.leaveMessage(input.value.trim());
      });
      this.awayBox.replaceChildren(form);
    }
    const err = this.awayBox.querySelector<HTMLElement>(".bd-field-err");
    if (err) {
      err.textContent = a.error || "";
      err.hidden = !a.error;
    }
    this.awayBox.querySelector("input")?.setAttribute("aria-invalid", String(!!a.error));
    const submit = this.awayBox.querySelector<HTMLButtonElement>("button[type=submit]");
    if (submit) submit.disabled = a.sending;
  }

  /**
   * The code box: a labelled numeric field (the phone's keypad, the one-time-code
   * autofill of iOS and Android), a live status line for wrong, expired and locked
   * codes, and "send a new code". Drawn once per challenge, so typing survives updates.
   */
  private renderStepUp(state: ViewState) {
    const u = state.stepUp;
    this.stepUpBox.hidden = !u;
    if (!u) {
      if (this.stepUpSig) this.stepUpBox.replaceChildren();
      this.stepUpSig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, u.id, u.destination]);
    if (sig !== this.stepUpSig) {
      this.stepUpSig = sig;
      const input = h("input", {
        id: "bd-stepup-code",
        class: "bd-code",
        type: "text",
        inputmode: "numeric",
        autocomplete: "one-time-code",
        pattern: "[0-9]*",
        maxlength: "6",
        spellcheck: "false",
        "aria-describedby": "bd-stepup-text bd-stepup-status",
      });
      const form = h(
        "form",
        { class: "bd-card bd-stepup", novalidate: true, "aria-labelledby": "bd-stepup-title", "data-challenge": u.id },
        h("div", { class: "bd-card-icon", "aria-hidden": "true" }, icon(icons.lock)),
        h("h3", { class: "bd-card-title", id: "bd-stepup-title" }, s.stepUpTitle),
        h("p", { class: "bd-card-text", id: "bd-stepup-text" }, format(s.stepUpText, { destination: u.destination })),
        h(
          "div",
          { class: "bd-field" },
          h("label", { for: "bd-stepup-code" }, s.stepUpLabel),
          h("div", { class: "bd-code-row" }, input, h("button", { type: "submit", class: "bd-btn" }, s.stepUpVerify)),
          h("p", { class: "bd-stepup-status", id: "bd-stepup-status", role: "status", "aria-live": "polite" }),
        ),
        h("button", { type: "button", class: "bd-link bd-stepup-resend" }, s.stepUpResend),
      );
      // Digits only: a pasted "123 456" or "code: 123456" becomes the six digits.
      input.addEventListener("input", () => {
        const digits = input.value.replace(/\D/g, "").slice(0, 6);
        if (digits !== input.value) input.value = digits;
      });
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.actions.verifyCode(u.id, input.value.trim());
      });
      form.querySelector(".bd-stepup-resend")!.addEventListener("click", () => this.actions.resendCode(u.id));
      this.stepUpBox.replaceChildren(form);
    }
    const input = this.stepUpBox.querySelector<HTMLInputElement>("input")!;
    const status = this.stepUpBox.querySelector<HTMLElement>(".bd-stepup-status")!;
    const text =
      u.status === "verified"
        ? s.stepUpVerified
        : u.status === "locked"
          ? s.stepUpLocked
          : u.status === "closed"
            ? s.stepUpClosed
            : u.status === "expired"
              ? s.stepUpExpired
              : u.busy
                ? s.stepUpChecking
                : u.message || "";
    if (status.textContent !== text) status.textContent = text;
    status.dataset.tone = u.status === "verified" ? "ok" : u.status !== "pending" ? "error" : u.tone || "info";
    const open = u.status === "pending";
    input.disabled = !open;
    input.setAttribute("aria-invalid", String(u.tone === "error" && open));
    this.stepUpBox.querySelector<HTMLButtonElement>("button[type=submit]")!.disabled = !open || u.busy;
    const resend = this.stepUpBox.querySelector<HTMLButtonElement>(".bd-stepup-resend")!;
    resend.hidden = u.status === "verified" || u.status === "locked" || u.status === "closed";
    resend.disabled = !u.canResend || u.busy;
  }

  private renderTyping(state: ViewState) {
    const t = state.typing;
    this.typing.hidden = !t;
    if (!t) return;
    const label = t.who === "agent" ? format(state.s.typingAgent, { name: t.name || state.s.agentLabel }) : state.s.typingBot;
    if (this.typing.dataset.label === label) return;
    this.typing.dataset.label = label;
    this.typing.replaceChildren(h("span", { class: "bd-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), h("span", {}, label));
  }

  private renderChips(state: ViewState) {
    const sig = JSON.stringify([state.locale, state.quickReplies, state.showHuman, state.open]);
    if (sig === this.chipsSig) return;
    this.chipsSig = sig;
    const chips: HTMLElement[] = [];
    for (const q of state.quickReplies.slice(0, 6)) {
      if (!q || typeof q.label !== "string") continue;
      const b = h("button", { type: "button", class: "bd-chip" }, q.label);
      b.addEventListener("click", () => this.actions.quickReply(q.text || q.label));
      chips.push(b);
    }
    if (state.showHuman) {
      const b = h("button", { type: "button", class: "bd-chip bd-chip--human" }, icon(icons.person), state.s.talkToPerson);
      b.addEventListener("click", () => this.actions.talkToPerson());
      chips.push(b);
    }
    this.chips.replaceChildren(...chips);
    this.chips.hidden = chips.length === 0;
  }

  private renderNew(state: ViewState) {
    this.newBox.hidden = !state.showNewConversation;
    if (!state.showNewConversation) return;
    if (this.newBox.dataset.locale === state.locale) return;
    this.newBox.dataset.locale = state.locale;
    const b = h("button", { type: "button", class: "bd-btn bd-btn--ghost" }, state.s.newConversation);
    b.addEventListener("click", () => this.actions.newConversation());
    this.newBox.replaceChildren(b);
  }

  private renderTranscript(state: ViewState) {
    const t = state.transcript;
    this.transcriptBox.hidden = !t;
    const sig = t ? JSON.stringify([state.locale, t.mode === "sending" ? "form" : t.mode, t.mode === "sent" && t.email]) : "";
    if (sig !== this.transcriptSig) {
      this.transcriptSig = sig;
      const { s } = state;
      let content: HTMLElement | null = null;
      if (t && t.mode === "offer") {
        content = h("button", { type: "button", class: "bd-link" }, icon(icons.mail), s.transcriptOffer);
        content.addEventListener("click", () => this.actions.transcript());
      } else if (t && (t.mode === "form" || t.mode === "sending")) {
        const input = h("input", {
          id: "bd-tr-email",
          type: "email",
          autocomplete: "email",
          maxlength: "200",
          "aria-describedby": "bd-tr-err",
        });
        input.value = t.email;
        content = h(
          "form",
          { class: "bd-card", novalidate: true },
          h(
            "div",
            { class: "bd-field" },
            h("label", { for: "bd-tr-email" }, s.transcriptLabel),
            input,
            h("p", { class: "bd-field-err", id: "bd-tr-err", role: "alert" }),
          ),
          h("button", { type: "submit", class: "bd-btn bd-btn--wide" }, s.transcriptSend),
        );
        content.addEventListener("input", clearError);
        content.addEventListener("submit", (e) => {
          e.preventDefault();
          this.actions.transcript(input.value.trim());
        });
        setTimeout(() => input.focus({ preventScroll: true }), 0);
      } else if (t) {
        content = h(
          "p",
          { class: "bd-card-text", role: "status" },
          t.mode === "sent" ? format(s.transcriptSent, { email: t.email }) : s.transcriptUnavailable,
        );
      }
      this.transcriptBox.replaceChildren(...(content ? [content] : []));
    }
    if (t) {
      const err = this.transcriptBox.querySelector<HTMLElement>(".bd-field-err");
      if (err) {
        err.textContent = t.error || "";
        err.hidden = !t.error;
      }
      const submit = this.transcriptBox.querySelector<HTMLButtonElement>("button[type=submit]");
      if (submit) submit.disabled = t.mode === "sending";
    }
  }

  private renderCsat(state: ViewState) {
    const { s } = state;
    const mode = state.csat;
    const formModes = mode === "ask" || mode === "sending" || mode === "error";
    const sig = JSON.stringify([state.locale, formModes ? "form" : mode]);
    this.csatBox.hidden = mode === "none";
    if (mode === "none") {
      this.csatRating = 0;
      this.csatComment = "";
    }
    if (sig !== this.csatSig) {
      this.csatSig = sig;
      if (mode === "thanks") {
        this.csatBox.className = "bd-csat";
        this.csatBox.setAttribute("role", "status");
        this.csatBox.replaceChildren(h("p", { class: "bd-csat-done" }, s.csatThanks));
      } else if (formModes) {
        this.buildCsatForm(s);
      } else this.csatBox.replaceChildren();
    }
    if (formModes) {
      const submit = this.csatBox.querySelector<HTMLButtonElement>(".bd-csat-submit");
      if (submit) submit.disabled = !this.csatRating || mode === "sending";
      const err = this.csatBox.querySelector<HTMLElement>(".bd-csat-error");
      if (err) err.hidden = mode !== "error";
    }
  }

  private renderNps(state: ViewState) {
    const { s } = state;
    const mode = state.nps;
    const formModes = mode === "ask" || mode === "sending" || mode === "error";
    const sig = JSON.stringify([state.locale, formModes ? "form" : mode]);
    this.npsBox.hidden = mode === "none";
    if (mode === "none") {
      this.npsScore = null;
      this.npsComment = "";
    }
    if (sig !== this.npsSig) {
      this.npsSig = sig;
      if (mode === "thanks") {
        this.npsBox.className = "bd-csat bd-nps";
        this.npsBox.setAttribute("role", "status");
        this.npsBox.replaceChildren(h("p", { class: "bd-csat-done" }, s.npsThanks));
      } else if (formModes) this.buildNpsForm(s);
      else this.npsBox.replaceChildren();
    }
    if (formModes) {
      const submit = this.npsBox.querySelector<HTMLButtonElement>(".bd-nps-submit");
      if (submit) submit.disabled = this.npsScore === null || mode === "sending";
      const err = this.npsBox.querySelector<HTMLElement>(".bd-nps-error");
      if (err) err.hidden = mode !== "error";
    }
  }

  /** 0 to 10 as native radio buttons (keyboard and screen readers as users expect), then "why?". */
  private buildNpsForm(s: Strings) {
    this.npsBox.className = "bd-csat bd-nps";
    this.npsBox.setAttribute("role", "group");
    this.npsBox.setAttribute("aria-labelledby", "bd-nps-title");
    const scale = h("div", { class: "bd-nps-scale", role: "radiogroup", "aria-label": s.npsTitle });
    const comment = h("textarea", { "aria-label": s.npsComment, placeholder: s.npsComment, maxlength: "1000", rows: "2" });
    comment.value = this.npsComment;
    comment.addEventListener("input", () => (this.npsComment = comment.value));
    const submit = h("button", { type: "button", class: "bd-btn bd-nps-submit" }, s.npsSubmit);
    const skip = h("button", { type: "button", class: "bd-btn bd-btn--ghost" }, s.npsSkip);
    const paint = () => {
      scale.querySelectorAll("label").forEach((el, i) => el.toggleAttribute("data-on", i === this.npsScore));
      comment.hidden = submit.disabled = this.npsScore === null;
    };
    for (let n = 0; n <= 10; n++) {
      const input = h("input", {
        type: "radio",
        name: "bd-nps",
        class: "bd-sr",
        value: String(n),
        "aria-label": format(s.npsScore, { n }),
      });
      input.checked = n === this.npsScore;
      input.addEventListener("change", () => {
        this.npsScore = n;
        paint();
      });
      scale.appendChild(h("label", { class: "bd-nps-n", "data-score": String(n) }, input, String(n)));
    }
    submit.addEventListener("click", () => this.npsScore !== null && this.actions.answerNps(this.npsScore, this.npsComment.trim()));
    skip.addEventListener("click", () => this.actions.skipNps());
    this.npsBox.replaceChildren(
      h("p", { class: "bd-csat-title", id: "bd-nps-title" }, s.npsTitle),
      scale,
      h("div", { class: "bd-nps-ends", "aria-hidden": "true" }, h("span", {}, s.npsLow), h("span", {}, s.npsHigh)),
      comment,
      h("p", { class: "bd-csat-error bd-nps-error", role: "alert", hidden: true }, s.npsError),
      h("div", { class: "bd-csat-actions" }, skip, submit),
    );
    paint();
  }

  private buildCsatForm(s: Strings) {
    this.csatBox.className = "bd-csat";
    this.csatBox.setAttribute("role", "group");
    this.csatBox.setAttribute("aria-labelledby", "bd-csat-title");
    // Native radio buttons: arrow keys, focus and screen readers work as users expect.
    const stars = h("div", { class: "bd-stars", role: "radiogroup", "aria-label": s.csatRating });
    const comment = h("textarea", { "aria-label": s.csatComment, placeholder: s.csatComment, maxlength: "1000", rows: "2" });
    comment.value = this.csatComment;
    comment.addEventListener("input", () => (this.csatComment = comment.value));
    const submit = h("button", { type: "button", class: "bd-btn bd-csat-submit" }, s.csatSubmit);
    const skip = h("button", { type: "button", class: "bd-btn bd-btn--ghost" }, s.csatSkip);
    const paint = () => {
      stars.querySelectorAll("label").forEach((el, i) => el.toggleAttribute("data-on", i < this.csatRating));
      comment.hidden = submit.disabled = !this.csatRating;
    };
    for (let n = 1; n <= 5; n++) {
      const input = h("input", {
        type: "radio",
        name: "bd-rating",
        class: "bd-sr",
        value: String(n),
        "aria-label": format(s.csatStar, { n }),
      });
      input.checked = n === this.csatRating;
      input.addEventListener("change", () => {
        this.csatRating = n;
        paint();
      });
      stars.appendChild(h("label", { class: "bd-star" }, input, icon(icons.star)));
    }
    submit.addEventListener("click", () => this.csatRating && this.actions.rate(this.csatRating, this.csatComment.trim()));
    skip.addEventListener("click", () => this.actions.skipRating());
    this.csatBox.replaceChildren(
      h("p", { class: "bd-csat-title", id: "bd-csat-title" }, s.csatTitle),
      stars,
      comment,
      h("p", { class: "bd-csat-error", role: "alert", hidden: true }, s.csatError),
      h("div", { class: "bd-csat-actions" }, skip, submit),
    );
    paint();
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

/** Typing in a field clears its error until the next submit. */
function clearError(e: Event) {
  const input = e.target as HTMLInputElement;
  input.setAttribute("aria-invalid", "false");
  const err = input.parentElement && input.parentElement.querySelector<HTMLElement>(".bd-field-err");
  if (err) err.hidden = true;
}

function bytes(n: number): string {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
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
