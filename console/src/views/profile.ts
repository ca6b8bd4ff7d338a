import { api } from "../api.ts";
import { h } from "../dom.ts";
import { toast } from "../ui.ts";
import type { Agent } from "../types.ts";
import { field, formModal, input } from "./admin/kit.ts";

/**
 * The signed-in agent's profile: the name customers see on their replies in the
 * widget. Empty means the first name; the server refuses markup and e-mail addresses
 * and the form shows why next to the field.
 */
export function editProfile(me: Agent): void {
  const displayName = input({ name: "displayName", value: me.displayName ?? "", maxlength: 40, placeholder: me.customerName ?? "" });
  formModal({
    title: "Your profile",
    submit: "Save",
    body: h(
      "div",
      { class: "af-grid" },
      field("Name customers see", displayName, {
        name: "displayName",
        wide: true,
        hint: "Shown on your replies in the chat. Empty: your first name. Customers never see your full name or e-mail.",
      }),
    ),
    run: async () => {
      const r = await api.patch<{ agent: Agent }>("/auth/me", { displayName: displayName.value.trim() || null });
      me.displayName = r.agent.displayName ?? null;
      me.customerName = r.agent.customerName ?? null;
      toast(`Customers now see you as ${r.agent.customerName ?? "“Agent”"}`, { kind: "success", timeout: 2500 });
    },
  });
}
