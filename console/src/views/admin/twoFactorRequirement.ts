import { api, errorMessage } from "../../api.ts";
import { h } from "../../dom.ts";
import { toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, toggle } from "./kit.ts";
import type { OrganisationSettings } from "../../../../shared/wire/index.ts";

/**
 * The organisation's "require two-factor sign-in for all staff" switch, above the
 * agents list (where the admin sees who has it). Turning it on is confirmed: staff
 * without it are limited to setting it up from their next click.
 */
export async function twoFactorRequirement(s: SectionContext): Promise<HTMLElement> {
  const settings = await api.get<OrganisationSettings>("/admin/organisation");
  const control = toggle(
    "Require two-factor sign-in for all staff",
    settings.requireStaffTwoFactor,
    "Everyone signs in with a code from an authenticator app after their password. Staff without one must set it up before they can use the console.",
    { "data-setting": "requireStaffTwoFactor" },
  );
  const box = control.querySelector("input") as HTMLInputElement;
  const save = async (on: boolean) => {
    await api.patch<OrganisationSettings>("/admin/organisation", { requireStaffTwoFactor: on });
    toast(on ? "Two-factor sign-in is now required" : "Two-factor sign-in is now optional", { kind: "success", timeout: 2500 });
    s.reload();
  };
  box.addEventListener("change", () => {
    const on = box.checked;
    box.checked = !on; // until saved
    if (on) {
      confirmAction({
        title: "Require two-factor sign-in?",
        text: "Agents who have not set it up can only set it up until they do: their console stops showing conversations at once. Admins included — set up yours first under Security.",
        confirm: "Require it",
        run: () => save(true),
      });
    } else {
      void save(false).catch((err) => toast(errorMessage(err), { kind: "error" }));
    }
  });
  return h("div", { class: "admin-setting" }, control);
}
