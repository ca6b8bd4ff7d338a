import type { CannedResponses, Conversations } from "../consoleHost.ts";
import { api, errorMessage, uploadFile } from "../api.ts";
import { newClientId } from "../../../shared/clientId.ts";
import { fileSize } from "../../../shared/fileSize.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import type { Attachment, CannedResponse, Conversation, Message } from "../types.ts";
import { assist } from "./assist.ts";
import { AGENT_REQUESTS, type AgentRequests } from "../../../shared/wire/index.ts";

type Mode = "reply" | "note";

/** A file attached in the composer: uploading, uploaded (sent with the message by id), or refused. */
interface Pending {
  key: number;
  name: string;
  size: number;
  state: "uploading" | "ready" | "error";
  attachment?: Attachment;
  error?: string;
}

const ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf";
const MAX_FILES = 5;

const MAX_LENGTH = 4000;

/** What the composer asks of the conversation pane it sits in (ConversationPane implements it). */
export interface ComposerHost {
  takeOver(): Promise<void>;
  /** A reply shown at once, marked as sending, until the server confirms or refuses it. */
  addPending(p: { clientId: string; content: string; private: boolean; attachments: Message["attachments"] }): void;
  confirmPending(clientId: string, m: Message): void;
  failPending(clientId: string, error: string): void;
}

/**
 * The reply box: Reply / Private note tabs, Enter to send (Shift+Enter for a new
 * line, IME composition respected), `/shortcode` canned responses, typing
 * indicator to the customer (replies only, never for notes), drafts kept per
 * conversation.
 */
export class Composer {
  readonly el: HTMLElement;
  private mode: Mode = "reply";
  private conv: Conversation | null = null;
  private readonly drafts = new Map<string, { reply: string; note: string; mode: Mode }>();
  private readonly textarea: HTMLTextAreaElement;
  private readonly tabReply: HTMLButtonElement;
  private readonly tabNote: HTMLButtonElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly hint = h("div", { class: "composer-hint" });
  private readonly counter = h("span", { class: "composer-counter", hidden: true });
  private readonly notice = h("div", { class: "composer-notice", hidden: true });
  private readonly popup = h("div", { class: "canned", role: "listbox", hidden: true, "aria-label": "Canned responses" });
  private cannedItems: CannedResponse[] = [];
  private cannedIndex = 0;
  private cannedToken: { start: number; end: number } | null = null;
  private typingSent = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingEmit = 0;
  /** AI assistance: the toolbar, and the panel showing a summary or what a suggestion/rewrite did. */
  private readonly assistPanel = h("div", { class: "assist-panel", hidden: true, "aria-live": "polite" });
  private readonly assistButtons: HTMLButtonElement[];
  private assistBusy = false;
  /** Bumped when the panel is closed for good (sent, resolved): an answer still on its way is dropped. */
  private assistRun = 0;
  /** Attachments: the hidden file input, the button opening it, and the chips of chosen files. */
  private readonly fileInput: HTMLInputElement;
  private readonly attachBtn: HTMLButtonElement;
  private readonly chips = h("div", { class: "composer-files", hidden: true, "aria-live": "polite" });
  private files: Pending[] = [];
  private fileKey = 0;

  constructor(
    private readonly app: CannedResponses & Conversations,
    private readonly pane: ComposerHost,
  ) {
    this.tabReply = h(
      "button",
      { type: "button", role: "tab", class: "tab", dataset: { mode: "reply" }, onclick: () => this.setMode("reply", true) },
      icon("message", 13),
      "Reply",
    );
    this.tabNote = h(
      "button",
      { type: "button", role: "tab", class: "tab", dataset: { mode: "note" }, onclick: () => this.setMode("note", true) },
      icon("lock", 13),
      "Private note",
    );
    this.textarea = h("textarea", {
      class: "composer-input",
      rows: 2,
      maxlength: MAX_LENGTH,
      "aria-label": "Message",
      oninput: () => this.onInput(),
      onkeydown: (e: KeyboardEvent) => this.onKeyDown(e),
      onblur: () => {
        // Later, so that a click on a canned response lands first; and not if the box has
        // the focus again by then (a click on the Reply tab, then "/" typed at once, had its
        // popup hidden by this timer: tests/browser/console.test.ts, now and then on CI).
        setTimeout(() => {
          if (document.activeElement !== this.textarea) this.popup.hidden = true;
        }, 150);
        this.stopTyping();
      },
    });
    this.fileInput = h("input", {
      type: "file",
      accept: ACCEPT,
      multiple: true,
      hidden: true,
      "aria-hidden": "true",
      tabindex: -1,
      dataset: { testid: "attach-input" },
      onchange: () => {
        const list = [...(this.fileInput.files ?? [])];
        this.fileInput.value = "";
        for (const f of list) void this.attach(f);
      },
    });
    this.attachBtn = h(
      "button",
      {
        type: "button",
        class: "btn btn-ghost btn-icon btn-sm attach",
        title: "Attach an image or PDF",
        "aria-label": "Attach a file",
        onclick: () => this.fileInput.click(),
      },
      icon("paperclip", 15),
    );
    this.sendBtn = h(
      "button",
      { type: "button", class: "btn btn-primary btn-sm send", onclick: () => void this.send() },
      icon("send", 14),
      h("span", { class: "send-label" }, "Send"),
    );
    const assistButton = (action: string, label: string, title: string, run: () => Promise<void>) =>
      h(
        "button",
        { type: "button", class: "assist-btn", dataset: { assist: action }, title, onclick: () => void this.runAssist(run) },
        icon(action === "summary" ? "file" : action === "tone" ? "edit" : "sparkle", 13),
        label,
      );
    this.assistButtons = [
      assistButton("suggest", "Suggest reply", "Draft a reply from the knowledge base, with sources (not sent)", () => this.suggestReply()),
      assistButton("tone", "Improve tone", "Make your draft politer and clearer (you review it)", () => this.improveTone()),
      assistButton("summary", "Summarize", "Summarize the conversation", () => this.summarize()),
    ];
    this.el = h(
      "div",
      { class: "composer" },
      this.notice,
      this.assistPanel,
      h(
        "div",
        { class: "composer-box" },
        h(
          "div",
          { class: "tabs", role: "tablist" },
          this.tabReply,
          this.tabNote,
          h("div", { class: "assist-actions", role: "group", "aria-label": "AI assistance" }, this.assistButtons),
        ),
        this.popup,
        this.textarea,
        this.chips,
        h("div", { class: "composer-footer" }, this.attachBtn, this.fileInput, this.hint, this.counter, this.sendBtn),
      ),
    );
    this.setMode("reply", false);
  }

  destroy(): void {
    this.stopTyping();
  }

  setConversation(c: Conversation | null, statusOnly = false): void {
    if (!statusOnly) {
      this.saveDraft();
      this.stopTyping();
      this.conv = c;
      const d = c ? this.drafts.get(c.id) : undefined;
      this.mode = d?.mode ?? "reply";
      this.textarea.value = d ? d[this.mode] : "";
      this.popup.hidden = true;
      this.closeAssist();
      // Files belong to the conversation they were uploaded for.
      this.files = [];
      this.renderFiles();
    } else {
      // Resolved (here, by a colleague or by the customer's rating): a suggestion or
      // summary for the conversation as it was is of no more use.
      if (c?.status === "resolved" && this.conv?.status !== "resolved") this.closeAssist();
      this.conv = c;
    }
    this.setMode(this.mode, false);
    this.renderNotice();
    this.autosize();
  }

  focus(mode?: Mode): void {
    if (mode) this.setMode(mode, false);
    this.textarea.focus();
  }

  private renderNotice(): void {
    const c = this.conv;
    if (c?.status === "pending") {
      this.notice.hidden = false;
      replace(
        this.notice,
        icon("sparkle", 14),
        h("span", null, "The assistant is handling this conversation. Take over before replying so it stops answering."),
        h("button", { type: "button", class: "btn btn-primary btn-sm", onclick: () => void this.pane.takeOver() }, "Take over"),
      );
    } else if (c?.status === "resolved") {
      this.notice.hidden = false;
      replace(
        this.notice,
        icon("checkCircle", 14),
        h("span", null, "This conversation is resolved. A reply reaches the customer but does not re-open it."),
      );
    } else {
      this.notice.hidden = true;
    }
  }

  private setMode(mode: Mode, userAction: boolean): void {
    if (this.conv && userAction && mode !== this.mode) {
      this.saveDraft();
      const d = this.drafts.get(this.conv.id);
      this.textarea.value = d?.[mode] ?? "";
    }
    this.mode = mode;
    if (mode === "note") this.stopTyping();
    this.tabReply.classList.toggle("active", mode === "reply");
    this.tabNote.classList.toggle("active", mode === "note");
    this.tabReply.setAttribute("aria-selected", String(mode === "reply"));
    this.tabNote.setAttribute("aria-selected", String(mode === "note"));
    this.el.classList.toggle("note-mode", mode === "note");
    this.textarea.placeholder =
      mode === "note"
        ? "Write a private note — only your team sees it, never the customer…"
        : "Type your reply to the customer…  (/ for canned responses)";
    (this.sendBtn.querySelector(".send-label") as HTMLElement).textContent = mode === "note" ? "Add note" : "Send";
    replace(
      this.hint,
      h("kbd", null, "Enter"),
      " to send · ",
      h("kbd", null, "Shift"),
      "+",
      h("kbd", null, "Enter"),
      " new line · ",
      h("kbd", null, "/"),
      " canned responses",
    );
    this.updateState();
    if (userAction) this.textarea.focus();
  }

  private saveDraft(): void {
    if (!this.conv) return;
    const d = this.drafts.get(this.conv.id) ?? { reply: "", note: "", mode: this.mode };
    d[this.mode] = this.textarea.value;
    d.mode = this.mode;
    if (!d.reply && !d.note && d.mode === "reply") this.drafts.delete(this.conv.id);
    else this.drafts.set(this.conv.id, d);
  }

  private updateState(): void {
    const len = this.textarea.value.length;
    const ready = this.files.some((f) => f.state === "ready");
    const uploading = this.files.some((f) => f.state === "uploading");
    this.sendBtn.disabled = !this.conv || uploading || (!this.textarea.value.trim() && !ready);
    this.attachBtn.disabled = !this.conv;
    this.counter.hidden = len < MAX_LENGTH * 0.8;
    this.counter.textContent = `${len} / ${MAX_LENGTH}`;
  }

  private autosize(): void {
    this.textarea.style.height = "auto";
    this.textarea.style.height = `${Math.min(220, Math.max(56, this.textarea.scrollHeight + 2))}px`;
  }

  private onInput(): void {
    this.autosize();
    this.updateState();
    if (this.mode === "reply" && this.textarea.value.trim()) this.startTyping();
    else this.stopTyping();
    void this.updateCanned();
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (!this.popup.hidden) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = this.cannedItems.length;
        if (n) {
          this.cannedIndex = (this.cannedIndex + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
          this.renderCanned();
        }
        return;
      }
      if ((e.key === "Enter" || e.key === "Tab") && this.cannedItems.length && !e.isComposing) {
        e.preventDefault();
        this.insertCanned(this.cannedItems[this.cannedIndex]!);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        this.popup.hidden = true;
        return;
      }
    }
    // Enter sends, unless an IME (Chinese, Japanese...) is composing.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void this.send();
    }
  }

  // --- Canned responses ---------------------------------------------------------------------

  /** The `/word` token just before the caret, at the start of the text or after whitespace. */
  private slashToken(): { start: number; end: number; query: string } | null {
    const ta = this.textarea;
    const end = ta.selectionStart ?? ta.value.length;
    if (ta.selectionEnd !== end) return null;
    const before = ta.value.slice(0, end);
    const m = /(^|\s)\/([\w-]*)$/.exec(before);
    if (!m) return null;
    return { start: end - m[2]!.length - 1, end, query: m[2]!.toLowerCase() };
  }

  private async updateCanned(): Promise<void> {
    const tok = this.slashToken();
    if (!tok) {
      this.popup.hidden = true;
      this.cannedToken = null;
      return;
    }
    this.cannedToken = tok;
    const all = await this.app.loadCanned();
    if (this.slashToken()?.start !== tok.start) return;
    if (all instanceof Error) {
      this.cannedItems = [];
      this.popup.hidden = false;
      replace(
        this.popup,
        h(
          "div",
          { class: "canned-empty canned-error" },
          icon("alert", 13),
          `Couldn't load canned responses: ${all.message}`,
          h(
            "button",
            {
              type: "button",
              class: "link-btn",
              onmousedown: (e: MouseEvent) => {
                e.preventDefault();
                void this.updateCanned();
              },
            },
            "Try again",
          ),
        ),
      );
      return;
    }
    const q = tok.query;
    this.cannedItems = all
      .filter((c) => !q || c.shortCode.toLowerCase().includes(q) || c.content.toLowerCase().includes(q))
      .sort((a, b) => Number(!a.shortCode.toLowerCase().startsWith(q)) - Number(!b.shortCode.toLowerCase().startsWith(q)))
      .slice(0, 8);
    this.cannedIndex = 0;
    this.popup.hidden = false;
    this.renderCanned();
  }

  private renderCanned(): void {
    if (!this.cannedItems.length) {
      replace(
        this.popup,
        h(
          "div",
          { class: "canned-empty" },
          icon("zap", 13),
          this.cannedToken && this.app.canned?.length ? "No canned response matches." : "No canned responses yet.",
        ),
      );
      return;
    }
    replace(
      this.popup,
      h("div", { class: "canned-head" }, "Canned responses", h("span", null, "↑↓ to choose · Enter to insert · Esc to close")),
      this.cannedItems.map((c, i) =>
        h(
          "div",
          {
            class: `canned-item${i === this.cannedIndex ? " active" : ""}`,
            role: "option",
            "aria-selected": String(i === this.cannedIndex),
            onmousedown: (e: MouseEvent) => {
              e.preventDefault();
              this.insertCanned(c);
            },
          },
          h("span", { class: "canned-code" }, `/${c.shortCode}`),
          h("span", { class: "canned-text" }, c.content),
        ),
      ),
    );
    this.popup.querySelector(".canned-item.active")?.scrollIntoView({ block: "nearest" });
  }

  private insertCanned(c: CannedResponse): void {
    const tok = this.slashToken() ?? this.cannedToken;
    const ta = this.textarea;
    if (tok) {
      ta.value = ta.value.slice(0, tok.start) + c.content + ta.value.slice(tok.end);
      const caret = tok.start + c.content.length;
      ta.setSelectionRange(caret, caret);
    } else {
      ta.value += c.content;
    }
    this.popup.hidden = true;
    this.cannedToken = null;
    ta.focus();
    this.onInput();
  }

  /** Inserts text (a knowledge snippet) at the caret. */
  insertText(text: string): void {
    const ta = this.textarea;
    const start = ta.selectionStart ?? ta.value.length;
    const end = ta.selectionEnd ?? start;
    const sep = start > 0 && !/\s$/.test(ta.value.slice(0, start)) ? "\n\n" : "";
    ta.value = ta.value.slice(0, start) + sep + text + ta.value.slice(end);
    ta.focus();
    this.onInput();
  }

  // --- AI assistance ------------------------------------------------------------------------------

  private async runAssist(run: () => Promise<void>): Promise<void> {
    if (!this.conv || this.assistBusy) return;
    this.assistBusy = true;
    for (const b of this.assistButtons) b.disabled = true;
    const started = this.assistRun;
    try {
      await run();
    } catch (err) {
      if (this.assistRun === started) this.showAssist("alert", "AI assistance failed", errorMessage(err));
    } finally {
      this.assistBusy = false;
      for (const b of this.assistButtons) b.disabled = false;
    }
  }

  /** Hides and empties the panel; whatever assistance was still running no longer opens it. */
  private closeAssist(): void {
    this.assistRun++;
    this.assistPanel.hidden = true;
    replace(this.assistPanel);
  }

  /** The panel above the box: a title, a body (text, never HTML) and actions. */
  private showAssist(
    ic: "sparkle" | "file" | "edit" | "alert",
    title: string,
    body: Node | string | null,
    ...actions: HTMLElement[]
  ): void {
    this.assistPanel.hidden = false;
    this.assistPanel.className = `assist-panel${ic === "alert" ? " assist-error" : ""}`;
    replace(
      this.assistPanel,
      h(
        "div",
        { class: "assist-head" },
        icon(ic, 14),
        h("strong", null, title),
        h(
          "button",
          { type: "button", class: "assist-close", "aria-label": "Close", onclick: () => (this.assistPanel.hidden = true) },
          icon("x", 13),
        ),
      ),
      body === null ? null : typeof body === "string" ? h("div", { class: "assist-body" }, body) : body,
      actions.length ? h("div", { class: "assist-foot" }, actions) : null,
    );
  }

  /** Puts text in the box (reply mode), keeping what was there for Undo. */
  private fill(text: string): HTMLButtonElement {
    const previous = this.textarea.value;
    if (this.mode !== "reply") this.setMode("reply", true);
    this.textarea.value = text;
    this.textarea.focus();
    this.onInput();
    return h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary btn-sm",
        onclick: () => {
          this.textarea.value = previous;
          this.onInput();
          this.assistPanel.hidden = true;
        },
      },
      "Undo",
    );
  }

  private async suggestReply(): Promise<void> {
    const c = this.conv!;
    const run = this.assistRun;
    this.showAssist("sparkle", "Drafting a reply from the knowledge base…", null);
    const r = await assist.suggestReply(c.id);
    if (this.conv?.id !== c.id || this.assistRun !== run) return;
    if (r.declined) {
      this.showAssist(
        "sparkle",
        "No suggestion",
        "Nothing in the knowledge base answers the customer's latest messages well enough. Write your own reply, or search the knowledge base in the details panel.",
      );
      return;
    }
    const undo = this.fill(r.text);
    this.showAssist(
      "sparkle",
      `Suggested reply (${r.generator === "llm" ? "language model" : "offline"}) — review it before sending`,
      h(
        "div",
        { class: "assist-body" },
        h("span", null, "Sources: "),
        r.citations.map((cit, i) =>
          h(
            "a",
            { class: "assist-citation", href: cit.url, target: "_blank", rel: "noopener noreferrer" },
            `${i ? " · " : ""}${cit.heading && cit.heading !== cit.title ? cit.heading : cit.title}`,
          ),
        ),
      ),
      undo,
    );
  }

  private async improveTone(): Promise<void> {
    const c = this.conv!;
    const run = this.assistRun;
    const draft = this.textarea.value.trim();
    if (!draft) {
      this.showAssist("edit", "Nothing to improve yet", "Write a draft first, then use Improve tone to polish it.");
      return;
    }
    this.showAssist("edit", "Improving the tone…", null);
    const r = await assist.improveTone(c.id, draft);
    if (this.conv?.id !== c.id || this.assistRun !== run) return;
    if (!r.changes.length || r.text === draft) {
      this.showAssist("edit", "Your draft reads well", "No changes suggested.");
      return;
    }
    const undo = this.fill(r.text);
    this.showAssist(
      "edit",
      `Tone improved (${r.generator === "llm" ? "language model" : "offline rules"})`,
      h(
        "ul",
        { class: "assist-body assist-changes" },
        r.changes.map((x) => h("li", null, x)),
      ),
      undo,
    );
  }

  private async summarize(): Promise<void> {
    const c = this.conv!;
    const run = this.assistRun;
    this.showAssist("file", "Summarizing…", null);
    const r = await assist.summary(c.id);
    if (this.conv?.id !== c.id || this.assistRun !== run) return;
    const addNote = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary btn-sm",
        onclick: () => {
          this.setMode("note", true);
          this.textarea.value = `Summary:\n${r.summary}`;
          this.onInput();
          this.textarea.focus();
        },
      },
      "Use as private note",
    );
    this.showAssist(
      "file",
      `Summary (${r.generator === "llm" ? "language model" : "offline"})`,
      h("div", { class: "assist-body assist-summary" }, r.summary),
      addNote,
    );
  }

  // --- Typing indicator (to the customer) ---------------------------------------------------------

  private startTyping(): void {
    const c = this.conv;
    if (!c || !this.app.socket) return;
    const now = Date.now();
    if (!this.typingSent || now - this.lastTypingEmit > 3000) {
      this.app.socket.emit(AGENT_REQUESTS.typing, { conversationId: c.id, typing: true } satisfies AgentRequests["typing"]["payload"]);
      this.typingSent = true;
      this.lastTypingEmit = now;
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 4000);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingSent && this.conv && this.app.socket)
      this.app.socket.emit(AGENT_REQUESTS.typing, {
        conversationId: this.conv.id,
        typing: false,
      } satisfies AgentRequests["typing"]["payload"]);
    this.typingSent = false;
  }

  // --- Sending ------------------------------------------------------------------------------------

  private async send(): Promise<void> {
    const c = this.conv;
    const content = this.textarea.value.trim();
    if (this.files.some((f) => f.state === "uploading")) return;
    const attachments = this.files.filter((f) => f.state === "ready").map((f) => f.attachment!);
    if (!c || (!content && !attachments.length)) return;
    if (content.length > MAX_LENGTH) return;
    const isPrivate = this.mode === "note";
    const clientId = newClientId();
    this.stopTyping();
    this.textarea.value = "";
    this.popup.hidden = true;
    // The suggestion, rewrite or summary was for the message just sent.
    this.closeAssist();
    this.files = [];
    this.renderFiles();
    this.saveDraft();
    this.autosize();
    this.updateState();
    this.pane.addPending({ clientId, content, private: isPrivate, attachments });
    await this.deliver(
      c.id,
      clientId,
      content,
      isPrivate,
      attachments.map((a) => a.id),
    );
  }

  // --- Attachments --------------------------------------------------------------------------------

  /** Uploads a chosen file at once; its chip shows progress, then the file or why it was refused. */
  private async attach(file: File): Promise<void> {
    const c = this.conv;
    if (!c) return;
    if (this.files.filter((f) => f.state !== "error").length >= MAX_FILES) {
      this.files.push({
        key: ++this.fileKey,
        name: file.name,
        size: file.size,
        state: "error",
        error: `At most ${MAX_FILES} files per message`,
      });
      this.renderFiles();
      return;
    }
    const entry: Pending = { key: ++this.fileKey, name: file.name, size: file.size, state: "uploading" };
    this.files.push(entry);
    this.renderFiles();
    try {
      const r = await uploadFile<{ attachment: Attachment }>(`/conversations/${c.id}/attachments`, file, { name: file.name });
      entry.state = "ready";
      entry.attachment = r.attachment;
      entry.name = r.attachment.name;
    } catch (err) {
      entry.state = "error";
      entry.error = errorMessage(err);
    }
    if (this.conv?.id !== c.id) return;
    this.renderFiles();
  }

  private renderFiles(): void {
    this.chips.hidden = !this.files.length;
    replace(
      this.chips,
      this.files.map((f) =>
        h(
          "span",
          {
            class: `file-chip file-${f.state}`,
            dataset: { state: f.state },
            title: f.error ?? f.name,
            role: f.state === "error" ? "alert" : undefined,
          },
          f.state === "uploading"
            ? h("span", { class: "spinner-dot", "aria-hidden": "true" })
            : icon(f.state === "error" ? "alert" : f.attachment?.contentType.startsWith("image/") ? "image" : "file", 12),
          h("span", { class: "file-name" }, f.name),
          f.state === "error"
            ? h("span", { class: "file-error" }, f.error)
            : h("span", { class: "file-size" }, f.state === "uploading" ? "uploading…" : fileSize(f.size)),
          h(
            "button",
            {
              type: "button",
              class: "chip-x",
              "aria-label": `Remove ${f.name}`,
              onclick: () => {
                this.files = this.files.filter((x) => x !== f);
                this.renderFiles();
              },
            },
            icon("x", 10),
          ),
        ),
      ),
    );
    this.updateState();
  }

  /** Posts a message; re-sending with the same client id never stores it twice. */
  async deliver(
    conversationId: string,
    clientId: string,
    content: string,
    isPrivate: boolean,
    attachmentIds: string[] = [],
  ): Promise<void> {
    try {
      const m = await api.post<Message>(`/conversations/${conversationId}/messages`, {
        content,
        private: isPrivate,
        clientId,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      this.pane.confirmPending(clientId, m);
    } catch (err) {
      this.pane.failPending(clientId, errorMessage(err));
    }
  }
}
