/**
 * The admin area (/console/admin/...): console users, teams, inboxes, canned
 * responses, labels and the audit log, for admins only. Anyone else who lands here
 * gets a clear "not allowed" page and no admin request is made; the server refuses
 * them too (403), which shows the same page.
 */
import type { CannedResponses, Directory, Session } from "../../consoleHost.ts";
import { ApiError, api, errorMessage } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { icon, type IconName } from "../../icons.ts";
import { ADMIN_SECTIONS, routePath, type AdminSection } from "../../routes.ts";
import { emptyState, spinner } from "../../ui.ts";
import type { AdminAgent, AdminTeam } from "./types.ts";
import type { AdminSectionHost, SectionContext } from "./section.ts";
import { agentsSection } from "./agents.ts";
import { teamsSection } from "./teams.ts";
import { inboxesSection } from "./inboxes.ts";
import { cannedSection } from "./canned.ts";
import { labelsSection } from "./labels.ts";
import { auditSection } from "./audit.ts";
import { accessLogSection } from "./accessLog.ts";
import { sessionsSection } from "./sessions.ts";
import { toolsSection } from "./tools.ts";
import { slaPoliciesSection } from "./slaPolicies.ts";
import { automationSection } from "./automation.ts";
import { privacySection } from "./privacy.ts";
import { earlyWarningSection } from "./earlyWarning.ts";
import { segmentsSection } from "./segments.ts";

const SECTIONS: Record<AdminSection, { label: string; icon: IconName; render: (s: SectionContext) => Promise<void> }> = {
  agents: { label: "Agents", icon: "users", render: agentsSection },
  teams: { label: "Teams", icon: "layers", render: teamsSection },
  inboxes: { label: "Inboxes", icon: "inbox", render: inboxesSection },
  "canned-responses": { label: "Canned responses", icon: "zap", render: cannedSection },
  labels: { label: "Labels", icon: "tag", render: labelsSection },
  tools: { label: "Bank tools", icon: "settings", render: toolsSection },
  "sla-policies": { label: "SLA policies", icon: "clock", render: slaPoliciesSection },
  automation: { label: "Automation", icon: "zap", render: automationSection },
  "early-warning": { label: "Early warning", icon: "alert", render: earlyWarningSection },
  segments: { label: "Segments", icon: "users", render: segmentsSection },
  sessions: { label: "Sessions", icon: "users", render: sessionsSection },
  "audit-log": { label: "Audit log", icon: "file", render: auditSection },
  "access-log": { label: "Access log", icon: "file", render: accessLogSection },
  privacy: { label: "Legal holds & privacy", icon: "lock", render: privacySection },
};

export class AdminPage implements AdminSectionHost {
  readonly el = h("main", { class: "admin", "aria-label": "Administration" });
  private readonly nav = h("nav", { class: "admin-nav", "aria-label": "Administration sections" });
  private readonly body = h("div", { class: "admin-body" });
  private seq = 0;
  private current: { section: AdminSection; id: string | null } = { section: "agents", id: null };

  constructor(readonly app: Session & Directory & CannedResponses) {
    this.el.append(this.nav, this.body);
  }

  get isAdmin(): boolean {
    return this.app.me.role === "admin";
  }

  async show(section: AdminSection, id: string | null): Promise<void> {
    this.current = { section, id };
    const seq = ++this.seq;
    document.title = `${SECTIONS[section].label} · Administration · BankDesk`;
    if (!this.isAdmin) {
      this.forbidden();
      return;
    }
    this.renderNav(section);
    replace(this.body, spinner("Loading…"));
    const ctx: SectionContext = {
      page: this,
      body: this.body,
      id,
      alive: () => seq === this.seq,
      reload: () => {
        // Something changed: the inbox's own lists of agents and teams are stale too.
        void this.app.loadDirectory();
        void this.show(this.current.section, this.current.id);
      },
    };
    try {
      await SECTIONS[section].render(ctx);
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError && err.status === 403) this.forbidden();
      else
        replace(
          this.body,
          emptyState(
            "alert",
            "Couldn't load this page",
            errorMessage(err),
            h("button", { type: "button", class: "btn btn-secondary btn-sm", onclick: () => ctx.reload() }, "Try again"),
          ),
        );
    }
  }

  navigate(section: AdminSection, id: string | null = null): void {
    this.app.navigate({ page: "admin", section, id });
  }

  /** Console users and teams, fresh: the admin pages show who is in which team. */
  async loadPeople(): Promise<{ agents: AdminAgent[]; teams: AdminTeam[] }> {
    const [agents, teams] = await Promise.all([
      api.get<{ items: AdminAgent[] }>("/admin/agents"),
      api.get<{ items: AdminTeam[] }>("/admin/teams"),
    ]);
    return { agents: agents.items, teams: teams.items };
  }

  private renderNav(active: AdminSection): void {
    this.nav.hidden = false;
    replace(
      this.nav,
      h("div", { class: "admin-nav-title" }, icon("settings", 14), "Administration"),
      ADMIN_SECTIONS.map((s) => {
        const to = { page: "admin" as const, section: s, id: null };
        return h(
          "a",
          {
            href: routePath(to),
            class: `admin-nav-item${s === active ? " active" : ""}`,
            "aria-current": s === active ? "page" : undefined,
            dataset: { section: s },
            onclick: (e: MouseEvent) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
              e.preventDefault();
              this.app.navigate(to);
            },
          },
          icon(SECTIONS[s].icon, 15),
          h("span", null, SECTIONS[s].label),
        );
      }),
    );
  }

  private forbidden(): void {
    this.nav.hidden = true;
    document.title = "Not allowed · BankDesk";
    replace(
      this.body,
      h(
        "div",
        { class: "admin-forbidden", role: "alert", "data-testid": "admin-forbidden" },
        h("div", { class: "admin-forbidden-icon" }, icon("lock", 24)),
        h("h1", null, "You don't have access to administration"),
        h(
          "p",
          null,
          "Managing agents, teams, inboxes, canned responses and labels, and reading the audit log, is reserved for admins. " +
            "If you need a change, ask an admin of your bank's BankDesk.",
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-primary",
            onclick: () => this.app.navigate({ page: "inbox", view: "mine", id: null }),
          },
          icon("arrowLeft", 14),
          "Back to the inbox",
        ),
      ),
    );
  }
}
