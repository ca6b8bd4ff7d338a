import { format } from "../locales/index.ts";
import { h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** The one-time code box under the assistant's message that asks for a code (step-up verification). */
export class StepUpBox {
  readonly el: HTMLElement = h("div", { hidden: true });
  private sig = "";

  constructor(private readonly actions: Pick<ViewActions, "verifyCode" | "resendCode">) {}

  /**
   * The code box: a labelled numeric field (the phone's keypad, the one-time-code
   * autofill of iOS and Android), a live status line for wrong, expired and locked
   * codes, and "send a new code". Drawn once per challenge, so typing survives updates.
   */
  update(state: ViewState) {
    const u = state.stepUp;
    this.el.hidden = !u;
    if (!u) {
      if (this.sig) this.el.replaceChildren();
      this.sig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, u.id, u.destination]);
    if (sig !== this.sig) {
      this.sig = sig;
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
      this.el.replaceChildren(form);
    }
    const input = this.el.querySelector<HTMLInputElement>("input")!;
    const status = this.el.querySelector<HTMLElement>(".bd-stepup-status")!;
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
    this.el.querySelector<HTMLButtonElement>("button[type=submit]")!.disabled = !open || u.busy;
    const resend = this.el.querySelector<HTMLButtonElement>(".bd-stepup-resend")!;
    resend.hidden = u.status === "verified" || u.status === "locked" || u.status === "closed";
    resend.disabled = !u.canResend || u.busy;
  }
}
