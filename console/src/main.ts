/**
 * BankDesk agent console: checks the session, shows sign-in or the inbox.
 */
import { ApiError, api, request, setCsrfToken, setEnrolmentRequiredHandler, setUnauthenticatedHandler } from "./api.ts";
import { ConsoleApp } from "./app.ts";
import { h } from "./dom.ts";
import { renderLogin } from "./views/login.ts";
import type { LoginResult, SessionState } from "./types.ts";
import { renderEnrolmentRequired } from "./views/security.ts";

const root = document.getElementById("app")!;
let app: ConsoleApp | null = null;

/**
 * What single sign-on left in the address after coming back (server/sso/ssoRoutes.ts):
 * a refusal's reason, or the challenge of the code step. In the fragment, which is never
 * sent to a server or in a Referer; read once and removed from the address and history.
 */
function takeSsoResult(): { ssoError?: string; twoFactorChallenge?: string } {
  const m = /^#sso-(error|two-factor)=([A-Za-z0-9_%.~-]{1,300})$/.exec(location.hash);
  if (!location.hash.startsWith("#sso-")) return {};
  history.replaceState(null, "", location.pathname + location.search);
  if (!m) return {};
  return m[1] === "error" ? { ssoError: m[2] } : { twoFactorChallenge: decodeURIComponent(m[2]!) };
}
const ssoResult = takeSsoResult();

function showLogin(notice?: string, opts: { ssoError?: string; twoFactorChallenge?: string } = {}): void {
  app?.destroy();
  app = null;
  setCsrfToken("");
  document.title = "Sign in · BankDesk";
  if (!location.pathname.startsWith("/console")) history.replaceState(null, "", "/console");
  renderLogin(root, (r) => start(r), notice, opts);
}

function start(r: LoginResult): void {
  setCsrfToken(r.csrfToken);
  app?.destroy();
  if (r.twoFactor?.mustEnrol) {
    app = null;
    document.title = "Set up two-factor sign-in · BankDesk";
    renderEnrolmentRequired(root, {
      onDone: () => start({ ...r, twoFactor: { enabled: true, mustEnrol: false } }),
      onSignOut: () =>
        void api
          .post<{ endSessionUrl?: string } | undefined>("/auth/logout")
          .then((r) => (r?.endSessionUrl ? window.location.assign(r.endSessionUrl) : showLogin()), showLogin),
    });
    return;
  }
  document.title = "BankDesk";
  app = new ConsoleApp(r.agent, () => showLogin());
  root.replaceChildren(app.root);
  void app.start();
}

setUnauthenticatedHandler(() => {
  if (app) showLogin("Your session has ended. Please sign in again.");
});
// An admin required two-factor sign-in while this agent was working: show the set-up.
setEnrolmentRequiredHandler(() => {
  if (app) void boot();
});

async function boot(): Promise<void> {
  try {
    // /auth/session answers 200 when signed out too: the browser logs no failed request before the sign-in page.
    const r = await request<SessionState>("GET", "/auth/session");
    if (r.signedIn) start(r);
    else showLogin(undefined, ssoResult);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin();
    else
      root.replaceChildren(
        h(
          "div",
          { class: "boot boot-error" },
          h("strong", null, "BankDesk can't reach the server."),
          h("span", null, err instanceof Error ? err.message : String(err)),
          h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => void boot() }, "Try again"),
        ),
      );
  }
}

void boot();
