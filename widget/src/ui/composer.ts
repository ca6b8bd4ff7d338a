import { h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** The composer's textarea grows with the text up to this height, then scrolls. */
const MAX_INPUT_HEIGHT_PX = 132;

/**
 * Where the customer writes: the textarea (Enter sends, except while an IME composes: Chinese
 * pinyin and zhuyin confirm a candidate with Enter), the send button and the file picker.
 */
export class Composer {
  readonly el: HTMLFormElement;
  private readonly inputLabel: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly attachBtn: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private maxLength = Infinity;
  /** An IME composition is in progress. */
  composing = false;

  constructor(private readonly actions: Pick<ViewActions, "send" | "typing" | "attach">) {
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
    this.el = h(
      "form",
      { class: "bd-composer", novalidate: true },
      this.attachBtn,
      this.fileInput,
      this.inputLabel,
      this.input,
      this.sendBtn,
    );
    this.el.addEventListener("submit", (e) => {
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
  }

  /** The texts, when the language changes. */
  setTexts(s: ViewState["s"]): void {
    this.inputLabel.textContent = s.inputLabel;
    this.input.placeholder = s.placeholder;
    this.sendBtn.setAttribute("aria-label", s.send);
    this.attachBtn.setAttribute("aria-label", s.attach);
    this.attachBtn.title = s.attach;
  }

  update(state: ViewState): void {
    this.maxLength = state.maxLength;
    this.input.maxLength = state.maxLength;
    this.el.hidden = !!state.preChat;
  }

  focus(): void {
    this.input.focus({ preventScroll: true });
  }

  private submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (text.length > this.maxLength) return;
    this.actions.send(text);
    this.input.value = "";
    this.autosize();
    this.syncSend();
  }

  private autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_INPUT_HEIGHT_PX)}px`;
  }

  private syncSend() {
    this.sendBtn.setAttribute("aria-disabled", this.input.value.trim() ? "false" : "true");
  }
}
