import { format } from "../locales/index.ts";
import { clearError, h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** After a resolved conversation: the offer to e-mail its transcript, the address form, and what came of it. */
export class TranscriptOffer {
  readonly el: HTMLElement = h("div", { class: "bd-transcript", hidden: true });
  private sig = "";

  constructor(private readonly actions: Pick<ViewActions, "transcript">) {}

  update(state: ViewState) {
    const t = state.transcript;
    this.el.hidden = !t;
    const sig = t ? JSON.stringify([state.locale, t.mode === "sending" ? "form" : t.mode, t.mode === "sent" && t.email]) : "";
    if (sig !== this.sig) {
      this.sig = sig;
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
      this.el.replaceChildren(...(content ? [content] : []));
    }
    if (t) {
      const err = this.el.querySelector<HTMLElement>(".bd-field-err");
      if (err) {
        err.textContent = t.error || "";
        err.hidden = !t.error;
      }
      const submit = this.el.querySelector<HTMLButtonElement>("button[type=submit]");
      if (submit) submit.disabled = t.mode === "sending";
    }
  }
}
