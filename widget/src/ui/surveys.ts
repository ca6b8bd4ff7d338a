import { format, type Strings } from "../locales/index.ts";
import { h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** The rating after resolution: 1 to 5 stars, an optional comment, skip. What was chosen survives redraws. */
export class CsatForm {
  readonly el: HTMLElement = h("div", { hidden: true });
  private sig = "";
  private rating = 0;
  private comment = "";

  constructor(private readonly actions: Pick<ViewActions, "rate" | "skipRating">) {}

  update(state: ViewState) {
    const { s } = state;
    const mode = state.csat;
    const formModes = mode === "ask" || mode === "sending" || mode === "error";
    const sig = JSON.stringify([state.locale, formModes ? "form" : mode]);
    this.el.hidden = mode === "none";
    if (mode === "none") {
      this.rating = 0;
      this.comment = "";
    }
    if (sig !== this.sig) {
      this.sig = sig;
      if (mode === "thanks") {
        this.el.className = "bd-csat";
        this.el.setAttribute("role", "status");
        this.el.replaceChildren(h("p", { class: "bd-csat-done" }, s.csatThanks));
      } else if (formModes) {
        this.build(s);
      } else this.el.replaceChildren();
    }
    if (formModes) {
      const submit = this.el.querySelector<HTMLButtonElement>(".bd-csat-submit");
      if (submit) submit.disabled = !this.rating || mode === "sending";
      const err = this.el.querySelector<HTMLElement>(".bd-csat-error");
      if (err) err.hidden = mode !== "error";
    }
  }

  private build(s: Strings) {
    this.el.className = "bd-csat";
    this.el.setAttribute("role", "group");
    this.el.setAttribute("aria-labelledby", "bd-csat-title");
    // Native radio buttons: arrow keys, focus and screen readers work as users expect.
    const stars = h("div", { class: "bd-stars", role: "radiogroup", "aria-label": s.csatRating });
    const comment = h("textarea", { "aria-label": s.csatComment, placeholder: s.csatComment, maxlength: "1000", rows: "2" });
    comment.value = this.comment;
    comment.addEventListener("input", () => (this.comment = comment.value));
    const submit = h("button", { type: "button", class: "bd-btn bd-csat-submit" }, s.csatSubmit);
    const skip = h("button", { type: "button", class: "bd-btn bd-btn--ghost" }, s.csatSkip);
    const paint = () => {
      stars.querySelectorAll("label").forEach((el, i) => el.toggleAttribute("data-on", i < this.rating));
      comment.hidden = submit.disabled = !this.rating;
    };
    for (let n = 1; n <= 5; n++) {
      const input = h("input", {
        type: "radio",
        name: "bd-rating",
        class: "bd-sr",
        value: String(n),
        "aria-label": format(s.csatStar, { n }),
      });
      input.checked = n === this.rating;
      input.addEventListener("change", () => {
        this.rating = n;
        paint();
      });
      stars.appendChild(h("label", { class: "bd-star" }, input, icon(icons.star)));
    }
    submit.addEventListener("click", () => this.rating && this.actions.rate(this.rating, this.comment.trim()));
    skip.addEventListener("click", () => this.actions.skipRating());
    this.el.replaceChildren(
      h("p", { class: "bd-csat-title", id: "bd-csat-title" }, s.csatTitle),
      stars,
      comment,
      h("p", { class: "bd-csat-error", role: "alert", hidden: true }, s.csatError),
      h("div", { class: "bd-csat-actions" }, skip, submit),
    );
    paint();
  }
}

/** The recommendation question (0–10, "why?") after the rating, when the inbox asks it. */
export class NpsForm {
  readonly el: HTMLElement = h("div", { hidden: true });
  private sig = "";
  private score: number | null = null;
  private comment = "";

  constructor(private readonly actions: Pick<ViewActions, "answerNps" | "skipNps">) {}

  update(state: ViewState) {
    const { s } = state;
    const mode = state.nps;
    const formModes = mode === "ask" || mode === "sending" || mode === "error";
    const sig = JSON.stringify([state.locale, formModes ? "form" : mode]);
    this.el.hidden = mode === "none";
    if (mode === "none") {
      this.score = null;
      this.comment = "";
    }
    if (sig !== this.sig) {
      this.sig = sig;
      if (mode === "thanks") {
        this.el.className = "bd-csat bd-nps";
        this.el.setAttribute("role", "status");
        this.el.replaceChildren(h("p", { class: "bd-csat-done" }, s.npsThanks));
      } else if (formModes) this.build(s);
      else this.el.replaceChildren();
    }
    if (formModes) {
      const submit = this.el.querySelector<HTMLButtonElement>(".bd-nps-submit");
      if (submit) submit.disabled = this.score === null || mode === "sending";
      const err = this.el.querySelector<HTMLElement>(".bd-nps-error");
      if (err) err.hidden = mode !== "error";
    }
  }

  /** 0 to 10 as native radio buttons (keyboard and screen readers as users expect), then "why?". */
  private build(s: Strings) {
    this.el.className = "bd-csat bd-nps";
    this.el.setAttribute("role", "group");
    this.el.setAttribute("aria-labelledby", "bd-nps-title");
    const scale = h("div", { class: "bd-nps-scale", role: "radiogroup", "aria-label": s.npsTitle });
    const comment = h("textarea", { "aria-label": s.npsComment, placeholder: s.npsComment, maxlength: "1000", rows: "2" });
    comment.value = this.comment;
    comment.addEventListener("input", () => (this.comment = comment.value));
    const submit = h("button", { type: "button", class: "bd-btn bd-nps-submit" }, s.npsSubmit);
    const skip = h("button", { type: "button", class: "bd-btn bd-btn--ghost" }, s.npsSkip);
    const paint = () => {
      scale.querySelectorAll("label").forEach((el, i) => el.toggleAttribute("data-on", i === this.score));
      comment.hidden = submit.disabled = this.score === null;
    };
    for (let n = 0; n <= 10; n++) {
      const input = h("input", {
        type: "radio",
        name: "bd-nps",
        class: "bd-sr",
        value: String(n),
        "aria-label": format(s.npsScore, { n }),
      });
      input.checked = n === this.score;
      input.addEventListener("change", () => {
        this.score = n;
        paint();
      });
      scale.appendChild(h("label", { class: "bd-nps-n", "data-score": String(n) }, input, String(n)));
    }
    submit.addEventListener("click", () => this.score !== null && this.actions.answerNps(this.score, this.comment.trim()));
    skip.addEventListener("click", () => this.actions.skipNps());
    this.el.replaceChildren(
      h("p", { class: "bd-csat-title", id: "bd-nps-title" }, s.npsTitle),
      scale,
      h("div", { class: "bd-nps-ends", "aria-hidden": "true" }, h("span", {}, s.npsLow), h("span", {}, s.npsHigh)),
      comment,
      h("p", { class: "bd-csat-error bd-nps-error", role: "alert", hidden: true }, s.npsError),
      h("div", { class: "bd-csat-actions" }, skip, submit),
    );
    paint();
  }
}
