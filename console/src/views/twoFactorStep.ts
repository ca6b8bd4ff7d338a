import { api, ApiError } from "../api.ts";
import { h } from "../dom.ts";
import { icon } from "../icons.ts";
import type { LoginResult } from "../types.ts";
import { securityKeyErrorMessage, signInWithSecurityKey } from "./securityKeys.ts";

/** What the second sign-in step's errors mean to the agent. */
export function secondStepErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.reason === "challenge_expired") return "This sign-in took too long. Enter your e-mail and password again.";
    if (err.status === 401)
      return "That code did not work. Codes change every 30 seconds and each works once; after five wrong tries the account is locked for 15 minutes.";
    if (err.status === 429) return "Too many sign-in attempts from this network. Wait a few minutes and try again.";
    if (err.status === 400) return "Enter the 6-digit code from your authenticator app, or a recovery code.";
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * The second step of signing in: the agent's security key, when they have one, and
 * the 6-digit code from their authenticator or (through the link) one of their
 * recovery codes, when they have that. `methods` is what the password step said the
 * agent has; unknown (after single sign-on), the key is offered if the server has one
 * for them and the code form is shown. `restart` goes back to the password when the
 * challenge has expired.
 */
export function twoFactorStep(opts: {
  challenge: string;
  methods?: Array<"totp" | "security_key">;
  onSignedIn: (r: LoginResult) => void;
  restart: (notice: string) => void;
}): HTMLElement {
  let recovery = false;
  const code = h("input", {
    id: "totp-code",
    name: "code",
    class: "input",
    inputmode: "numeric",
    autocomplete: "one-time-code",
    pattern: "[0-9]*",
    maxlength: 40,
    required: true,
  });
  const label = h("span", { class: "field-label" }, "Code from your authenticator app");
  const hint = h("p", { class: "login-hint" }, "Open the authenticator app on your phone and type the 6-digit code it shows for BankDesk.");
  const error = h("div", { class: "login-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Verify");
  const switchLink = h(
    "button",
    {
      type: "button",
      class: "btn btn-link login-switch",
      "data-action": "use-recovery-code",
      onclick: () => {
        recovery = !recovery;
        label.textContent = recovery ? "Recovery code" : "Code from your authenticator app";
        hint.textContent = recovery
          ? "Type one of the recovery codes you saved when you set up two-factor sign-in. Each works once."
          : "Open the authenticator app on your phone and type the 6-digit code it shows for BankDesk.";
        switchLink.textContent = recovery ? "Use a code from the app instead" : "Use a recovery code";
        code.inputMode = recovery ? "text" : "numeric";
        code.autocomplete = recovery ? "off" : "one-time-code";
        code.removeAttribute("pattern");
        code.value = "";
        error.hidden = true;
        code.focus();
      },
    },
    "Use a recovery code",
  );
  const show = (text: string) => {
    error.replaceChildren(icon("alert", 15), h("span", null, text));
    error.hidden = false;
  };
  const keyButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary btn-block",
      "data-action": "use-security-key",
      onclick: async () => {
        error.hidden = true;
        keyButton.disabled = true;
        try {
          opts.onSignedIn(await signInWithSecurityKey(opts.challenge));
        } catch (err) {
          if (err instanceof ApiError && err.reason === "challenge_expired") return opts.restart(secondStepErrorMessage(err));
          show(
            err instanceof ApiError && err.status === 401
              ? "That security key was not accepted. Use a key you added under Security; after five failed tries the account is locked for 15 minutes."
              : err instanceof ApiError
                ? secondStepErrorMessage(err)
                : securityKeyErrorMessage(err),
          );
        } finally {
          keyButton.disabled = false;
        }
      },
    },
    icon("lock", 15),
    " Use your security key",
  );
  const hasTotp = !opts.methods || opts.methods.includes("totp");
  const keyBlock = h(
    "div",
    { class: "login-key", hidden: !opts.methods?.includes("security_key") },
    h("p", { class: "login-hint" }, "Insert or touch your security key, or use your passkey, when the browser asks."),
    keyButton,
    hasTotp ? h("div", { class: "login-or" }, h("span", null, "or with a code")) : null,
  );
  if (!opts.methods) {
    // After single sign-on the password step's answer is not here: ask whether there is a key.
    void api.post("/auth/login/security-key/options", { challenge: opts.challenge }).then(
      () => (keyBlock.hidden = false),
      () => undefined,
    );
  }
  const form = h(
    "form",
    {
      class: "login-form",
      novalidate: true,
      "data-step": "two-factor",
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault();
        error.hidden = true;
        const value = code.value.trim();
        if (!value) return show(recovery ? "Enter a recovery code." : "Enter the 6-digit code.");
        submit.disabled = true;
        try {
          const body = recovery ? { recoveryCode: value } : { code: value.replace(/\s/g, "") };
          opts.onSignedIn(await api.post<LoginResult>("/auth/login/two-factor", { challenge: opts.challenge, ...body }));
        } catch (err) {
          const message = secondStepErrorMessage(err);
          if (err instanceof ApiError && err.reason === "challenge_expired") return opts.restart(message);
          show(message);
          code.value = "";
          code.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    error,
    keyBlock,
    hasTotp ? [hint, h("label", { class: "field" }, label, code), submit, switchLink] : null,
  );
  queueMicrotask(() => (hasTotp ? code.focus() : keyButton.focus()));
  return form;
}
