import { api, ApiError, errorMessage } from "../api.ts";
import { h } from "../dom.ts";
import { icon } from "../icons.ts";
import type { LoginResult } from "../types.ts";
import { twoFactorStep } from "./twoFactorStep.ts";

/** The password step's answer: a session, or for two-factor sign-in a challenge for the code step. */
type PasswordResult = LoginResult | { twoFactorRequired: true; challenge: string };

/** Turns the server's sign-in errors into something an agent can act on. */
export function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    // The server answers a wrong password, a locked, a deactivated and an unknown account
    // alike (nothing to learn about an account by guessing), so the message covers all.
    if (err.status === 401)
      return "Wrong e-mail or password. Check both and try again. After five wrong tries an account is locked for 15 minutes; your administrator can unlock it sooner.";
    if (err.status === 429) return "Too many sign-in attempts from this network. Wait a few minutes and try again.";
    if (err.status === 400) return "Enter a valid e-mail address and your password.";
  }
  return errorMessage(err);
}

/** The sign-in page. Resolves once the agent is signed in. */
export function renderLogin(root: HTMLElement, onSignedIn: (r: LoginResult) => void, notice?: string): void {
  const email = h("input", {
    id: "email",
    name: "email",
    type: "email",
    class: "input",
    autocomplete: "username",
    required: true,
    autofocus: true,
    maxlength: 200,
  });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    class: "input",
    autocomplete: "current-password",
    required: true,
    maxlength: 200,
  });
  const error = h("div", { class: "login-error", role: "alert", hidden: true });
  const info = notice ? h("div", { class: "login-notice", role: "status" }, notice) : null;
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");
  const form = h(
    "form",
    {
      class: "login-form",
      novalidate: true,
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault();
        error.hidden = true;
        if (!email.value.trim() || !password.value) {
          showError("Enter your e-mail address and password.");
          return;
        }
        submit.disabled = true;
        submit.textContent = "Signing in…";
        try {
          const r = await api.post<PasswordResult>("/auth/login", { email: email.value.trim(), password: password.value });
          if ("twoFactorRequired" in r) {
            heading.textContent = "Two-factor sign-in";
            form.replaceWith(twoFactorStep({ challenge: r.challenge, onSignedIn, restart: (text) => renderLogin(root, onSignedIn, text) }));
            return;
          }
          onSignedIn(r);
        } catch (err) {
          showError(loginErrorMessage(err));
          password.value = "";
          password.focus();
        } finally {
          submit.disabled = false;
          submit.textContent = "Sign in";
        }
      },
    },
    info,
    error,
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Work e-mail"), email),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Password"), password),
    submit,
  );
  function showError(text: string) {
    error.replaceChildren(icon("alert", 15), h("span", null, text));
    error.hidden = false;
  }
  const heading = h("h1", { class: "login-heading" }, "Sign in to your inbox");
  root.replaceChildren(
    h(
      "div",
      { class: "login" },
      h(
        "div",
        { class: "login-card" },
        h(
          "div",
          { class: "login-brand" },
          h("span", { class: "brand-mark brand-mark-lg", "aria-hidden": "true" }, "B"),
          h("div", null, h("div", { class: "login-title" }, "BankDesk"), h("div", { class: "login-sub" }, "Agent console")),
        ),
        heading,
        form,
        h("p", { class: "login-foot" }, icon("lock", 12), "Authorised staff only. Sign-ins and actions are recorded in the audit log."),
      ),
    ),
  );
  email.focus();
}
