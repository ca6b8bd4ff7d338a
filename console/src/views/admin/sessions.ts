import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { ago, dateTime } from "../../format.ts";
import { emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, pageHeader, pill, rowActions, table } from "./kit.ts";
import type { AgentSession, AgentSessionList } from "../../../../shared/wire/index.ts";

/** "Chrome on Windows" from a User-Agent header, or the header itself when unfamiliar. */
function browserOf(ua: string | null): string {
  if (!ua) return "—";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Chrome\//.test(ua)
      ? "Chrome"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Safari\//.test(ua)
          ? "Safari"
          : null;
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X/.test(ua)
      ? "macOS"
      : /Android/.test(ua)
        ? "Android"
        : /iPhone|iPad/.test(ua)
          ? "iOS"
          : /Linux/.test(ua)
            ? "Linux"
            : null;
  return browser ? `${browser}${os ? ` on ${os}` : ""}` : ua.slice(0, 60);
}

/** Who is signed in to the console, from where; an admin can end any session but their own (they sign out). */
export async function sessionsSection(s: SectionContext): Promise<void> {
  const { items, idleMinutes } = await api.get<AgentSessionList>("/admin/sessions");
  if (!s.alive()) return;

  const end = (x: AgentSession) =>
    confirmAction({
      title: `End ${x.agent.name}'s session?`,
      text: "They are signed out of that browser at once and must sign in again there.",
      confirm: "End session",
      danger: true,
      run: async () => {
        await api.del(`/admin/sessions/${x.id}`);
        toast("Session ended", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  replace(
    s.body,
    pageHeader(
      "Sessions",
      `Console sign-ins in use. A session ends after ${idleMinutes} minutes without activity, or when ended here; every end is in the audit log.`,
    ),
    items.length
      ? table(
          [
            { label: "Agent", cell: (x) => h("div", null, h("div", null, x.agent.name), h("div", { class: "muted" }, x.agent.email)) },
            { label: "Browser", cell: (x) => browserOf(x.userAgent) },
            { label: "Address", cell: (x) => x.ip ?? "—" },
            { label: "Signed in", cell: (x) => dateTime(x.createdAt) },
            { label: "Last active", cell: (x) => ago(x.lastActiveAt) },
            {
              label: "",
              class: "col-actions",
              cell: (x) =>
                x.current
                  ? pill("This browser", "brand")
                  : rowActions(
                      h(
                        "button",
                        { type: "button", class: "btn btn-secondary btn-sm", "data-action": "end-session", onclick: () => end(x) },
                        "End",
                      ),
                    ),
            },
          ],
          items,
          (x) => ({ "data-id": x.id }),
        )
      : emptyState("users", "No one is signed in", "Sessions appear here while agents use the console."),
  );
}
