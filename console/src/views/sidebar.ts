import type { ConversationListState, Session } from "../consoleHost.ts";
import { VIEWS, routePath, type Route } from "../routes.ts";
import { h, replace } from "../dom.ts";
import { icon } from "../icons.ts";
import { avatar } from "../ui.ts";
import { openSecurity } from "./security.ts";
import { editProfile } from "./profile.ts";

/** The left rail: brand, inbox views with live counts, reports, and the signed-in agent. */
export class Sidebar {
  readonly el = h("nav", { class: "sidebar", "aria-label": "Main" });

  constructor(private readonly app: Session & Pick<ConversationListState, "counts">) {}

  render(): void {
    const app = this.app;
    const route = app.route;
    const link = (to: Route, label: string, iconEl: SVGElement, count?: number, muted = false) => {
      const active =
        route.page === to.page &&
        (to.page === "reports" ||
          to.page === "admin" ||
          to.page === "cases" ||
          (route.page === "inbox" && route.view === (to as { view: string }).view));
      return h(
        "a",
        {
          href: routePath(to),
          class: `nav-item${active ? " active" : ""}`,
          "aria-current": active ? "page" : undefined,
          dataset: { nav: to.page === "inbox" ? to.view : to.page },
          onclick: (e: MouseEvent) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
            e.preventDefault();
            app.navigate(to);
          },
        },
        iconEl,
        h("span", { class: "nav-label" }, label),
        count !== undefined
          ? h(
              "span",
              { class: `nav-count${muted ? " muted" : ""}`, "aria-label": `${count} conversations` },
              count > 999 ? "999+" : String(count),
            )
          : null,
      );
    };
    const availability = app.me.availability === "away" ? "away" : "online";
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
        VIEWS.map((v) =>
          link(
            { page: "inbox", view: v.id, id: null },
            v.label,
            icon(v.icon, 16),
            app.counts[v.id],
            v.id === "resolved" || v.id === "all" || !app.counts[v.id],
          ),
        ),
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
        h(
          "div",
          { class: "me-avatar" },
          avatar(app.me.id, app.me.name, "md"),
          h("span", { class: `presence presence-${availability}`, title: availability === "online" ? "Online" : "Away" }),
        ),
        h(
          "div",
          { class: "me-info" },
          h("div", { class: "me-name", title: app.me.email }, app.me.name),
          h(
            "select",
            {
              class: "me-availability",
              "aria-label": "Your availability",
              value: availability,
              onchange: (e: Event) => app.setAvailability((e.target as HTMLSelectElement).value as "online" | "away"),
            },
            h("option", { value: "online" }, "Online"),
            h("option", { value: "away" }, "Away"),
          ),
        ),
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
