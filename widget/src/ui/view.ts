import { css } from "./styles.ts";
import { icons } from "./icons.ts";
import { h, icon } from "./dom.ts";
import { format } from "../locales/index.ts";
import { AwayForm } from "./awayForm.ts";
import { Chips } from "./chips.ts";
import { Composer } from "./composer.ts";
import { PreChatForm } from "./preChatForm.ts";
import { StepUpBox } from "./stepUpBox.ts";
import { CsatForm, NpsForm } from "./surveys.ts";
import { Transcript } from "./transcript.ts";
import { TranscriptOffer } from "./transcriptOffer.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

const FOCUSABLE = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';
/** Within this distance of the end, the transcript follows new lines; further up the customer is reading back. */
const FOLLOW_PX = 96;

/**
 * The widget's DOM, inside a shadow root: the launcher, the reply preview beside it, and the
 * panel (header, banner, the transcript with the cards under it, suggested replies, composer).
 * Built once; `update()` patches it, each part drawing its own piece (transcript.ts, the cards,
 * surveys.ts, chips.ts, composer.ts) with the actions it needs.
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
  private readonly typing: HTMLElement;
  private readonly newBox: HTMLElement;
  private readonly securityText: HTMLElement;
  private readonly transcript: Transcript;
  private readonly stepUp: StepUpBox;
  private readonly preChat: PreChatForm;
  private readonly away: AwayForm;
  private readonly csat: CsatForm;
  private readonly nps: NpsForm;
  private readonly transcriptOffer: TranscriptOffer;
  private readonly chips: Chips;
  private readonly composer: Composer;

  private state?: ViewState;
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

    // Transcript, and the cards under it
    this.transcript = new Transcript(actions);
    this.typing = h("div", { class: "bd-typing", hidden: true });
    this.csat = new CsatForm(actions);
    this.nps = new NpsForm(actions);
    this.newBox = h("div", { class: "bd-new", hidden: true });
    this.transcriptOffer = new TranscriptOffer(actions);
    this.preChat = new PreChatForm(actions);
    this.away = new AwayForm(actions);
    this.stepUp = new StepUpBox(actions);
    this.scroll = h(
      "div",
      { class: "bd-scroll", tabindex: "0" },
      this.transcript.el,
      this.stepUp.el,
      this.typing,
      this.preChat.el,
      this.away.el,
      this.csat.el,
      this.nps.el,
      this.newBox,
      this.transcriptOffer.el,
    );

    this.chips = new Chips(actions);
    this.composer = new Composer(actions);

    this.securityText = h("span", {});
    const foot = h("div", { class: "bd-foot" }, icon(icons.lock), this.securityText);

    this.panel = h(
      "div",
      { class: "bd-panel", id: "bd-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "bd-title", hidden: true },
      header,
      this.banner,
      this.scroll,
      this.chips.el,
      this.composer.el,
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
    this.composer.focus();
  }

  focusLauncher(): void {
    this.launcher.focus({ preventScroll: true });
  }

  /** True while focus is inside the widget. */
  hasFocus(): boolean {
    return !!this.shadow.activeElement;
  }

  private onPanelKey(e: KeyboardEvent) {
    if (e.key === "Escape" && !e.isComposing && !this.composer.composing) {
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

    // Texts that change with the language only
    if (!prev || prev.locale !== state.locale) {
      this.composer.setTexts(s);
      this.securityText.textContent = s.security;
      this.chips.el.setAttribute("aria-label", s.suggestions);
      this.scroll.setAttribute("aria-label", state.title);
    }

    const atBottom = this.scroll.scrollHeight - this.scroll.scrollTop - this.scroll.clientHeight < FOLLOW_PX;
    this.transcript.update(state);
    this.renderTyping(state);
    this.csat.update(state);
    this.nps.update(state);
    this.renderNew(state);
    this.transcriptOffer.update(state);
    this.chips.update(state);
    this.preChat.update(state);
    this.away.update(state);
    this.stepUp.update(state);
    this.composer.update(state);
    if (state.preChat) this.chips.el.hidden = true;

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

  private renderTyping(state: ViewState) {
    const t = state.typing;
    this.typing.hidden = !t;
    if (!t) return;
    const label = t.who === "agent" ? format(state.s.typingAgent, { name: t.name || state.s.agentLabel }) : state.s.typingBot;
    if (this.typing.dataset.label === label) return;
    this.typing.dataset.label = label;
    this.typing.replaceChildren(h("span", { class: "bd-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), h("span", {}, label));
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
}
