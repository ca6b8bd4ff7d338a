import type { ConversationListState, Session } from "../consoleHost.ts";
import { VIEWS, routePath, type Route } from "../routes.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import { avatar } from "../ui.ts";
import { openSecurity } from "./security.ts";
import { editProfile } from "./profile.ts";

/**
 * The left rail: brand, inbox views with live counts, reports, and the signed-in agent.
 * Built once and updated in place: it is redrawn on every count, presence and route
 * change, and an element replaced between a click's mousedown and mouseup loses the
 * click (an admin's click on Administration was swallowed by the presence update that
 * arrives just after sign-in: tests/browser/caseSettings on PostgreSQL + Redis).
 */
export class Sidebar {
  readonly el = h("nav", { class: "sidebar", "aria-label": "Main" });
  private links: Array<{ el: HTMLElement; to: Route; count?: HTMLElement }> = [];
  private presence?: HTMLElement;
  private availability?: HTMLSelectElement;
  private avatar?: Element;
  private name?: HTMLElement;

  constructor(private readonly app: Session & Pick<ConversationListState, "counts">) {}

  render(): void {
    if (!this.links.length) this.build();
    const app = this.app;
    const route = app.route;
    for (const { el, to, count } of this.links) {
      const active =
        route.page === to.page &&
        (to.page === "reports" ||
          to.page === "admin" ||
          to.page === "cases" ||
          (route.page === "inbox" && route.view === (to as { view: string }).view));
      el.classList.toggle("active", active);
      if (active) el.setAttribute("aria-current", "page");
      else el.removeAttribute("aria-current");
      if (count && to.page === "inbox") {
        const n = app.counts[to.view];
        count.hidden = n === undefined;
        count.textContent = n === undefined ? "" : n > 999 ? "999+" : String(n);
        count.setAttribute("aria-label", `${n ?? 0} conversations`);
        count.classList.toggle("muted", to.view === "resolved" || to.view === "all" || !n);
      }
    }
    const availability = app.me.availability === "away" ? "away" : "online";
    this.presence!.className = `presence presence-${availability}`;
    this.presence!.title = availability === "online" ? "Online" : "Away";
    this.availability!.value = availability;
    // The initials follow a change of name (the profile dialog).
    const initials = avatar(app.me.id, app.me.name, "md");
    this.avatar!.replaceWith(initials);
    this.avatar = initials;
    this.name!.textContent = app.me.name;
    this.name!.title = app.me.email;
  }

  private build(): void {
    const app = this.app;
    const link = (to: Route, label: string, iconEl: SVGElement) => {
      const count = to.page === "inbox" ? h("span", { class: "nav-count", hidden: true }) : undefined;
      const el = h(
        "a",
        {
          href: routePath(to),
          class: "nav-item",
          dataset: { nav: to.page === "inbox" ? to.view : to.page },
          onclick: (e: MouseEvent) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
            e.preventDefault();
            app.navigate(to);
          },
        },
        iconEl,
        h("span", { class: "nav-label" }, label),
        count ?? null,
      );
      this.links.push({ el, to, count });
      return el;
    };
    this.presence = h("span", { class: "presence" });
    this.avatar = avatar(app.me.id, app.me.name, "md");
    this.name = h("div", { class: "me-name" });
    this.availability = h(
      "select",
      {
        class: "me-availability",
        "aria-label": "Your availability",
        onchange: (e: Event) => app.setAvailability((e.target as HTMLSelectElement).value as "online" | "away"),
      },
      h("option", { value: "online" }, "Online"),
      h("option", { value: "away" }, "Away"),
    ) as HTMLSelectElement;
    replace(
      this.el,
      h(
        "div",
        { class: "brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }, "B"),
        h("span", { class: "brand-name" }, "BankDesk"),
      ),
      h(
        "div",
        { class: "nav-section" },
        h("div", { class: "nav-heading" }, "Conversations"),
        VIEWS.map((v) => link({ page: "inbox", view: v.id, id: null }, v.label, icon(v.icon, 16))),
      ),
      h(
        "div",
        { class: "nav-section" },
        h("div", { class: "nav-heading" }, "Insights"),
        link({ page: "reports" }, "Reports", icon("barChart", 16)),
      ),
      h(
        "div",
        { class: "nav-section" },
        h("div", { class: "nav-heading" }, "Complaints"),
        link({ page: "cases", view: "mine", id: null }, "Cases", icon("archive", 16)),
      ),
      // Administration is for admins only: others never see the entry (and the page refuses them).
      app.me.role === "admin"
        ? h(
            "div",
            { class: "nav-section" },
            h("div", { class: "nav-heading" }, "Manage"),
            link({ page: "admin", section: "agents", id: null }, "Administration", icon("settings", 16)),
          )
        : null,
      h("div", { class: "nav-spacer" }),
      h(
        "div",
        { class: "me" },
        h("div", { class: "me-avatar" }, this.avatar, this.presence),
        h("div", { class: "me-info" }, this.name, this.availability),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-icon",
            title: "Your profile: the name customers see",
            "aria-label": "Your profile",
            dataset: { action: "profile" },
            onclick: () => editProfile(app.me),
          },
          icon("user", 16),
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-icon",
            title: "Security: two-factor sign-in",
            "aria-label": "Security",
            "data-action": "security",
            onclick: () => void openSecurity(),
          },
          icon("shield", 16),
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-icon",
            title: "Sign out",
            "aria-label": "Sign out",
            onclick: () => void app.signOut(),
          },
          icon("logOut", 16),
        ),
      ),
    );
  }
}
