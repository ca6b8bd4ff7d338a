import { format } from "../locales/index.ts";
import { wordHours } from "../../../shared/serviceHours.ts";
import { clearError, h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** Nobody can answer now: the offer to leave an e-mail address for the answer. */
export class AwayForm {
  readonly el: HTMLElement = h("div", { hidden: true });
  private sig = "";

  constructor(private readonly actions: Pick<ViewActions, "leaveMessage">) {}

  update(state: ViewState) {
    const a = state.away;
    this.el.hidden = !a;
    if (!a) {
      if (this.sig) this.el.replaceChildren();
      this.sig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, a.hours]);
    if (sig !== this.sig) {
      this.sig = sig;
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
        a.hours ? h("p", { class: "bd-card-text bd-hours" }, format(s.awayHours, { hours: wordHours(a.hours, state.locale) })) : null,
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
      this.el.replaceChildren(form);
    }
    const err = this.el.querySelector<HTMLElement>(".bd-field-err");
    if (err) {
      err.textContent = a.error || "";
      err.hidden = !a.error;
    }
    this.el.querySelector("input")?.setAttribute("aria-invalid", String(!!a.error));
    const submit = this.el.querySelector<HTMLButtonElement>("button[type=submit]");
    if (submit) submit.disabled = a.sending;
  }
}
