import { api, ApiError, errorMessage } from "../api.ts";
import { h } from "../dom.ts";
import { icon } from "../icons.ts";
import type { LoginResult, PasswordSignIn, SignInMethods } from "../types.ts";
import { twoFactorStep } from "./twoFactorStep.ts";
import { securityKeyErrorMessage, signInWithPasskey } from "./securityKeys.ts";

/** The password step's answer: a session, or for two-factor sign-in a challenge for the code step. */

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

/** Why the identity provider's sign-in did not open a session (the server's redirect says #sso-error=<reason>). */
export function ssoErrorMessage(reason: string): string {
  switch (reason) {
    case "no_agent":
      return "Your identity provider signed you in, but there is no BankDesk account for your e-mail address. Ask your administrator to add you.";
    case "deactivated":
      return "Your BankDesk account is deactivated. Ask your administrator.";
    case "unverified_email":
      return "Your identity provider did not confirm your e-mail address, so BankDesk cannot tell which account is yours.";
    case "no_role":
      return "Your identity provider does not put you in a group that may use BankDesk. Ask your administrator.";
    case "weak_authentication":
      return "Your identity provider signed you in without the strong authentication BankDesk requires (such as a second factor or a security key). Start again and sign in there with it; if it is not offered to you, ask your administrator.";
    case "denied":
      return "The identity provider did not sign you in (cancelled or refused there). Start again, or ask your administrator.";
    case "expired":
      return "That sign-in took too long or was already used. Start again.";
    case "unavailable":
      return "The identity provider cannot be reached just now. Try again in a minute.";
    case "rate_limited":
      return "Too many sign-in attempts from this network. Wait a few minutes and try again.";
    default:
      return "Single sign-on did not work: the identity provider's answer could not be verified. Start again; if it keeps happening, tell your administrator.";
  }
}

/**
 * The sign-in page. Resolves once the agent is signed in. `twoFactorChallenge`: single
 * sign-on came back for an agent with two-factor sign-in, who now answers the code step.
 */
export function renderLogin(
  root: HTMLElement,
  onSignedIn: (r: LoginResult) => void,
  notice?: string,
  opts: { twoFactorChallenge?: string; ssoError?: string } = {},
): void {
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
  const sso = h("div", { class: "login-sso", hidden: true });
  const passkey = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary btn-block",
      hidden: true,
      "data-action": "passkey-sign-in",
      onclick: async () => {
        error.hidden = true;
        passkey.disabled = true;
        try {
          onSignedIn(await signInWithPasskey());
        } catch (err) {
          showError(
            err instanceof ApiError && err.status === 401
              ? "This passkey did not sign you in. Use your e-mail and password; after five failed tries an account is locked for 15 minutes."
              : securityKeyErrorMessage(err),
          );
        } finally {
          passkey.disabled = false;
        }
      },
    },
    icon("lock", 14),
    " Sign in with a passkey",
  );
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
          const r = await api.post<PasswordSignIn>("/auth/login", { email: email.value.trim(), password: password.value });
          if ("twoFactorRequired" in r) {
            heading.textContent = "Two-factor sign-in";
            form.replaceWith(
              twoFactorStep({
                challenge: r.challenge,
                methods: r.methods,
                onSignedIn,
                restart: (text) => renderLogin(root, onSignedIn, text),
              }),
            );
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
    passkey,
  );
  function showError(text: string) {
    error.replaceChildren(icon("alert", 15), h("span", null, text));
    error.hidden = false;
  }
  const heading = h("h1", { class: "login-heading" }, "Sign in to your inbox");
  const restart = (text: string) => renderLogin(root, onSignedIn, text);
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
        sso,
        form,
        h("p", { class: "login-foot" }, icon("lock", 12), "Authorised staff only. Sign-ins and actions are recorded in the audit log."),
      ),
    ),
  );
  email.focus();
  if (opts.twoFactorChallenge) {
    heading.textContent = "Two-factor sign-in";
    form.replaceWith(twoFactorStep({ challenge: opts.twoFactorChallenge, onSignedIn, restart }));
    return;
  }
  if (opts.ssoError) showError(ssoErrorMessage(opts.ssoError));
  void api
    .get<SignInMethods>("/auth/sso")
    .then((m) => {
      if (m.passkeySignIn) passkey.hidden = false;
      if (!m.enabled || !m.startUrl || !form.isConnected) return;
      // A plain link: the browser goes to the provider and comes back with a session cookie.
      sso.replaceChildren(
        h(
          "a",
          { class: "btn btn-secondary btn-block", href: m.startUrl, "data-action": "sso" },
          `Sign in with ${m.providerName ?? "single sign-on"}`,
        ),
      );
      if (m.passwordSignIn) sso.append(h("div", { class: "login-or" }, h("span", null, "or with your BankDesk password")));
      sso.hidden = false;
      if (!m.passwordSignIn) {
        // Only the provider's sign-in: the password form would be refused anyway.
        for (const el of [...form.children]) if (el !== info && el !== error) (el as HTMLElement).hidden = true;
      }
    })
    .catch(() => undefined);
}
