import { api, errorMessage } from "../api.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import { toast } from "../ui.ts";
import { openModal, secretBox, showErrors, clearErrors, formError, field, input, type Modal } from "./admin/kit.ts";
import { addSecurityKeyForm, securityKeysSection } from "./securityKeys.ts";
import type { RecoveryCodes, TwoFactorEnrolment, TwoFactorStatus } from "../types.ts";

const codeInput = () =>
  input({
    name: "code",
    inputmode: "numeric",
    autocomplete: "one-time-code",
    maxlength: 6,
    placeholder: "123456",
    "data-role": "totp-code",
  });

/** Recovery codes, shown once after they are made. */
export function recoveryCodesShownOnce(codes: string[]): HTMLElement {
  return h(
    "div",
    { class: "recovery-codes" },
    h(
      "p",
      { class: "modal-text" },
      "Save these recovery codes somewhere safe (a password manager, or printed). Each signs you in once if you lose your phone. They are shown only now.",
    ),
    secretBox("Recovery codes", codes.join("\n"), "BankDesk keeps only a hash of each code and cannot show them again."),
    h(
      "ol",
      { class: "recovery-code-list", "data-recovery-codes": "" },
      codes.map((c) => h("li", null, h("code", null, c))),
    ),
  );
}

/**
 * Setting up an authenticator: the secret as text (and its otpauth:// link) to add
 * to the app, then a code from the app to prove it, then the recovery codes.
 * `onEnabled` runs once the codes are on screen.
 */
export function enrolmentFlow(onEnabled: () => void): HTMLElement {
  const el = h("div", { class: "enrolment" });
  const begin = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary",
      "data-action": "start-enrolment",
      onclick: async () => {
        begin.disabled = true;
        try {
          const r = await api.post<TwoFactorEnrolment>("/auth/two-factor/enrolment");
          replace(el, confirmStep(r));
        } catch (err) {
          toast(errorMessage(err), { kind: "error" });
          begin.disabled = false;
        }
      },
    },
    "Set up an authenticator app",
  );
  const confirmStep = (r: { secret: string; otpauthUri: string }) => {
    const code = codeInput();
    const ok = h("button", { type: "submit", class: "btn btn-primary" }, "Turn on two-factor sign-in");
    const form: HTMLFormElement = h(
      "form",
      {
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          clearErrors(form);
          ok.disabled = true;
          try {
            const done = await api.post<RecoveryCodes>("/auth/two-factor/enrolment/confirm", { code: code.value.trim() });
            replace(el, recoveryCodesShownOnce(done.recoveryCodes));
            onEnabled();
          } catch (err) {
            showErrors(form, err);
            ok.disabled = false;
          }
        },
      },
      h(
        "p",
        { class: "modal-text" },
        "In your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password…), add an account with this key, time-based, or open the link on the phone:",
      ),
      secretBox("Setup key", r.secret, "Keep it to yourself: anyone with it can make your codes."),
      h("p", { class: "setup-uri" }, h("code", { "data-otpauth-uri": "" }, r.otpauthUri)),
      field("Code the app shows now", code, { name: "code" }),
      formError(),
      h("div", { class: "modal-foot" }, ok),
    );
    queueMicrotask(() => code.focus());
    return form;
  };
  el.append(
    h(
      "p",
      { class: "modal-text" },
      "After your password, BankDesk will ask for a 6-digit code from an app on your phone, so a stolen password alone does not open your inbox.",
    ),
    begin,
  );
  return el;
}

/** A small form asking for a current code, then running `run` with it. */
function withCurrentCode(opts: { submit: string; danger?: boolean; run: (code: string) => Promise<HTMLElement | void> }): HTMLElement {
  const code = codeInput();
  const ok = h("button", { type: "submit", class: `btn ${opts.danger ? "btn-danger" : "btn-secondary"}` }, opts.submit);
  const wrap = h("div");
  const form: HTMLFormElement = h(
    "form",
    {
      class: "inline-code-form",
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearErrors(form);
        ok.disabled = true;
        try {
          const next = await opts.run(code.value.trim());
          if (next) replace(wrap, next);
        } catch (err) {
          showErrors(form, err);
          ok.disabled = false;
        }
      },
    },
    field("Current code from your app", code, { name: "code" }),
    formError(),
    ok,
  );
  wrap.append(form);
  return wrap;
}

/** The agent's own Security dialog: the authenticator app on or off, recovery codes, security keys. */
export async function openSecurity(): Promise<Modal> {
  const body = h("div", { class: "modal-body security", "data-view": "security" });
  const modal = openModal("Security", body, { wide: true });
  const render = async () => {
    let status: TwoFactorStatus;
    try {
      status = await api.get<TwoFactorStatus>("/auth/two-factor");
    } catch (err) {
      replace(body, h("p", { class: "modal-text" }, errorMessage(err)));
      return;
    }
    const keys = await securityKeysSection();
    if (!status.enabled) {
      replace(
        body,
        h("h3", null, "Authenticator app: off"),
        enrolmentFlow(() => toast("Two-factor sign-in is on", { kind: "success", timeout: 2500 })),
        keys,
      );
      return;
    }
    replace(
      body,
      h("h3", null, icon("shield", 16), " Authenticator app: on"),
      h("p", { class: "modal-text" }, `${status.recoveryCodesLeft} of 10 recovery codes left.`),
      h("h4", null, "New recovery codes"),
      h("p", { class: "modal-text" }, "Replaces all your recovery codes: the old ones stop working."),
      withCurrentCode({
        submit: "Make new recovery codes",
        run: async (code) => {
          const r = await api.post<RecoveryCodes>("/auth/two-factor/recovery-codes", { code });
          return recoveryCodesShownOnce(r.recoveryCodes);
        },
      }),
      h("h4", null, "Turn off"),
      status.required && status.securityKeys === 0
        ? h("p", { class: "modal-text" }, "Your organisation requires two-factor sign-in, so it cannot be turned off.")
        : withCurrentCode({
            submit: "Turn off the authenticator app",
            danger: true,
            run: async (code) => {
              await api.post("/auth/two-factor/disable", { code });
              toast("The authenticator app is off", { kind: "success", timeout: 2500 });
              await render();
            },
          }),
      keys,
    );
  };
  await render();
  return modal;
}

/**
 * The whole page for an agent whose organisation requires two-factor sign-in and
 * who has not set it up: nothing else of the console works until they do.
 */
export function renderEnrolmentRequired(root: HTMLElement, opts: { onDone: () => void; onSignOut: () => void }): void {
  const cont = h(
    "button",
    { type: "button", class: "btn btn-primary", hidden: true, "data-action": "continue", onclick: opts.onDone },
    "Continue to the console",
  );
  root.replaceChildren(
    h(
      "div",
      { class: "login" },
      h(
        "div",
        { class: "login-card login-card-wide", "data-view": "enrolment-required" },
        h("h1", { class: "login-heading" }, "Set up two-factor sign-in"),
        h("p", { class: "login-notice", role: "status" }, "Your organisation requires two-factor sign-in for all staff."),
        enrolmentFlow(() => (cont.hidden = false)),
        h("p", { class: "login-hint" }, "Or use a security key (YubiKey, Titan…) or a passkey instead of an app:"),
        addSecurityKeyForm(() => {
          toast("Security key added: two-factor sign-in is on", { kind: "success", timeout: 2500 });
          cont.hidden = false;
        }),
        h(
          "div",
          { class: "enrolment-actions" },
          cont,
          h("button", { type: "button", class: "btn btn-ghost", onclick: opts.onSignOut }, "Sign out"),
        ),
      ),
    ),
  );
}
