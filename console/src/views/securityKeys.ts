import { startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { api, errorMessage } from "../api.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import { dateTime } from "../format.ts";
import { toast } from "../ui.ts";
import { clearErrors, confirmAction, field, formError, input, showErrors } from "./admin/kit.ts";
import type { LoginResult, PasskeySignInOptions, SecurityKey, SecurityKeyList } from "../types.ts";

/** What the browser's WebAuthn errors mean to the agent (cancelled, timed out, key already there...). */
export function securityKeyErrorMessage(err: unknown): string {
  if (err instanceof WebAuthnError) {
    if (err.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This key is registered already.";
    return "The security key did not answer (cancelled, timed out, or not this key). Try again.";
  }
  if (err instanceof DOMException && err.name === "NotAllowedError")
    return "The security key prompt was cancelled or timed out. Try again.";
  return errorMessage(err);
}

/**
 * Adding a security key or passkey: a name for it, then the browser's prompt (touch the
 * key, or use the phone or this computer's passkey). `onAdded` runs once it is stored.
 */
export function addSecurityKeyForm(onAdded: (key: SecurityKey) => void): HTMLElement {
  const name = input({ name: "name", maxlength: 60, placeholder: "YubiKey on my keyring", "data-role": "security-key-name" });
  const ok = h(
    "button",
    { type: "submit", class: "btn btn-secondary", "data-action": "add-security-key" },
    icon("lock", 14),
    " Add security key",
  );
  const form: HTMLFormElement = h(
    "form",
    {
      class: "inline-code-form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearErrors(form);
        if (!name.value.trim()) return showErrors(form, new Error("Name the key, so you can tell it apart later."));
        ok.disabled = true;
        try {
          const optionsJSON = await api.post<PublicKeyCredentialCreationOptionsJSON>("/auth/security-keys/registration");
          const response = await startRegistration({ optionsJSON });
          const key = await api.post<SecurityKey>("/auth/security-keys", { name: name.value.trim(), response });
          name.value = "";
          onAdded(key);
        } catch (err) {
          showErrors(form, err instanceof WebAuthnError || err instanceof DOMException ? new Error(securityKeyErrorMessage(err)) : err);
        } finally {
          ok.disabled = false;
        }
      },
    },
    field("Name of the key", name, { name: "name" }),
    formError(),
    ok,
  );
  return form;
}

/** A key's new name, in place of its line in the list; saved (audited) or cancelled, the list is drawn again. */
function renameKeyForm(key: SecurityKey, redraw: () => Promise<void>): HTMLElement {
  const name = input({ name: "name", maxlength: 60, value: key.name, "data-role": "security-key-rename" });
  const form: HTMLFormElement = h(
    "form",
    {
      class: "inline-code-form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearErrors(form);
        try {
          await api.patch<SecurityKey>(`/auth/security-keys/${key.id}`, { name: name.value.trim() });
          await redraw();
        } catch (err) {
          showErrors(form, err);
        }
      },
    },
    field(`New name for ${key.name}`, name, { name: "name" }),
    formError(),
    h("button", { type: "submit", class: "btn btn-secondary btn-sm", "data-action": "save-security-key-name" }, "Save"),
    h("button", { type: "button", class: "btn btn-ghost btn-sm", onclick: () => void redraw() }, "Cancel"),
  );
  return h("li", { "data-security-key-rename": key.name }, form);
}

/** The Security dialog's section: the agent's keys (name, added, last used, remove) and adding one. */
export async function securityKeysSection(): Promise<HTMLElement> {
  const el = h("section", { class: "security-keys", "data-view": "security-keys" });
  const render = async () => {
    let r: { available: boolean; items: SecurityKey[] };
    try {
      r = await api.get<SecurityKeyList>("/auth/security-keys");
    } catch (err) {
      replace(el, h("p", { class: "modal-text" }, errorMessage(err)));
      return;
    }
    if (!r.available) {
      replace(
        el,
        h("h3", null, "Security keys"),
        h("p", { class: "modal-text" }, "This server is not set up for security keys (ask your administrator)."),
      );
      return;
    }
    replace(
      el,
      h("h3", null, icon("lock", 16), " Security keys and passkeys"),
      h(
        "p",
        { class: "modal-text" },
        "A security key (YubiKey, Titan…) or a passkey answers the second sign-in step with a touch, and only on this site, so a look-alike page cannot use it.",
      ),
      r.items.length === 0
        ? h("p", { class: "modal-text muted" }, "No security keys yet.")
        : h(
            "ul",
            { class: "security-key-list", "data-security-keys": "" },
            r.items.map((k) =>
              h(
                "li",
                { "data-security-key": k.name },
                h("strong", null, k.name),
                h(
                  "span",
                  { class: "muted" },
                  ` added ${dateTime(k.createdAt)}, ${k.lastUsedAt ? `last used ${dateTime(k.lastUsedAt)}` : "not used yet"}`,
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-ghost btn-sm",
                    "aria-label": `Rename ${k.name}`,
                    "data-action": "rename-security-key",
                    onclick: (e: Event) => (e.currentTarget as HTMLElement).closest("li")!.replaceWith(renameKeyForm(k, render)),
                  },
                  "Rename",
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-ghost btn-sm",
                    "aria-label": `Remove ${k.name}`,
                    "data-action": "remove-security-key",
                    onclick: () =>
                      confirmAction({
                        title: "Remove security key",
                        text: `"${k.name}" will no longer sign you in.`,
                        confirm: "Remove",
                        danger: true,
                        run: async () => {
                          await api.del(`/auth/security-keys/${k.id}`);
                          toast(`Removed ${k.name}`, { kind: "success", timeout: 2500 });
                          await render();
                        },
                      }),
                  },
                  "Remove",
                ),
              ),
            ),
          ),
      addSecurityKeyForm((key) => {
        toast(`Added ${key.name}`, { kind: "success", timeout: 2500 });
        void render();
      }),
    );
  };
  await render();
  return el;
}

/**
 * The second sign-in step with a security key: asks the server for this attempt's
 * challenge, lets the browser ask the key, and signs in with its answer.
 */
export async function signInWithSecurityKey(challenge: string): Promise<LoginResult> {
  const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>("/auth/login/security-key/options", { challenge });
  const response = await startAuthentication({ optionsJSON });
  return api.post<LoginResult>("/auth/login/security-key", { challenge, response });
}

/**
 * Passwordless sign-in: the browser offers this site's passkeys (no e-mail typed), the
 * authenticator checks the agent's PIN or fingerprint, and its answer opens a session.
 */
export async function signInWithPasskey(): Promise<LoginResult> {
  const { attempt, options } = await api.post<PasskeySignInOptions>("/auth/login/passkey/options");
  const response = await startAuthentication({ optionsJSON: options });
  return api.post<LoginResult>("/auth/login/passkey", { attempt, response });
}
