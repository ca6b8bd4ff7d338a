import { clearError, h } from "./dom.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** The inbox's pre-chat form, shown instead of the composer until it is filled in; drawn once per set of fields. */
export class PreChatForm {
  readonly el: HTMLElement = h("div", { hidden: true });
  private sig = "";

  constructor(private readonly actions: Pick<ViewActions, "submitPreChat">) {}

  update(state: ViewState) {
    const p = state.preChat;
    this.el.hidden = !p;
    if (!p) {
      if (this.sig) this.el.replaceChildren();
      this.sig = "";
      return;
    }
    const { s } = state;
    const sig = JSON.stringify([state.locale, p.fields]);
    if (sig !== this.sig) {
      this.sig = sig;
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
      this.el.replaceChildren(form);
      setTimeout(() => form.querySelector("input")?.focus({ preventScroll: true }), 0);
    }
    for (const err of Array.from(this.el.querySelectorAll<HTMLElement>(".bd-field-err"))) {
      const key = (err.dataset.for || err.id.slice(6, -4)) as keyof typeof p.errors;
      err.textContent = p.errors[key] || "";
      err.hidden = !p.errors[key];
      const input = err.parentElement?.querySelector("input");
      if (input) input.setAttribute("aria-invalid", String(!!p.errors[key]));
    }
    const submit = this.el.querySelector<HTMLButtonElement>("button[type=submit]");
    if (submit) submit.disabled = p.sending;
  }
}
