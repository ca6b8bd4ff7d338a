import { h, icon } from "./dom.ts";
import { icons } from "./icons.ts";
import type { ViewActions, ViewState } from "./viewState.ts";

/** The suggested replies under the conversation, and the permanent "talk to a person" chip while the assistant has it. */
export class Chips {
  readonly el: HTMLElement = h("div", { class: "bd-chips", role: "group", hidden: true });
  private sig = "";

  constructor(private readonly actions: Pick<ViewActions, "quickReply" | "talkToPerson">) {}

  update(state: ViewState) {
    const sig = JSON.stringify([state.locale, state.quickReplies, state.showHuman, state.open]);
    if (sig === this.sig) return;
    this.sig = sig;
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
    this.el.replaceChildren(...chips);
    this.el.hidden = chips.length === 0;
  }
}
