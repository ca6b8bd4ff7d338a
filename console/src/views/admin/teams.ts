import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { avatar, emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, rowActions, select, table } from "./kit.ts";
import type { AdminAgent, AdminTeam } from "./types.ts";

export async function teamsSection(s: SectionContext): Promise<void> {
  const { agents, teams } = await s.page.loadPeople();
  if (!s.alive()) return;
  const byId = new Map(agents.map((a) => [a.id, a]));
  const candidates = agents.filter((a) => !a.disabled && a.role !== "content");

  const edit = (team: AdminTeam | null) => {
    const name = input({ name: "name", value: team?.name ?? "", maxlength: 100 });
    const slug = input({ name: "slug", value: team?.slug ?? "", maxlength: 40, placeholder: "cards", disabled: Boolean(team) });
    const members = h(
      "div",
      { class: "check-grid" },
      candidates.map((a) =>
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", name: "memberIds", value: a.id, checked: team?.memberIds.includes(a.id) ?? false }),
          avatar(a.id, a.name, "sm"),
          h("span", null, a.name),
        ),
      ),
    );
    formModal({
      title: team ? `Edit ${team.name}` : "New team",
      wide: true,
      body: h(
        "div",
        { class: "af-grid" },
        field("Name", name, { name: "name" }),
        field("Identifier", slug, {
          name: "slug",
          hint: team
            ? "Fixed once created: routing rules and the API use it."
            : "Lower-case letters, digits and dashes. Made from the name when empty.",
        }),
        field("Members", candidates.length ? members : h("div", { class: "af-hint" }, "No active agents."), {
          name: "memberIds",
          wide: true,
        }),
      ),
      submit: team ? "Save changes" : "Create team",
      run: async () => {
        const memberIds = [...members.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);
        if (team) await api.patch(`/admin/teams/${team.id}`, { name: name.value, memberIds });
        else await api.post("/admin/teams", { name: name.value, memberIds, ...(slug.value.trim() ? { slug: slug.value.trim() } : {}) });
        toast(team ? "Team updated" : "Team created", { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const remove = (team: AdminTeam) => {
    const others = teams.filter((t) => t.id !== team.id);
    const target = select([["", "Choose a team…"], ...others.map((t): [string, string] => [t.id, t.name])], "", {
      name: "moveConversationsTo",
    });
    confirmAction({
      title: `Delete ${team.name}?`,
      text: team.conversations
        ? `${team.name} has ${team.conversations} conversation${team.conversations === 1 ? "" : "s"}. They move to the team you choose, so they stay private to a team.`
        : "The team has no conversations. Inboxes that route to it will route to no team.",
      extra: team.conversations ? field("Move its conversations to", target, { name: "moveConversationsTo" }) : undefined,
      confirm: "Delete team",
      danger: true,
      run: async () => {
        await api.del(`/admin/teams/${team.id}`, { moveConversationsTo: target.value || undefined });
        toast(`${team.name} deleted`, { kind: "success", timeout: 2500 });
        s.reload();
      },
    });
  };

  const memberList = (t: AdminTeam) => {
    const people = t.memberIds.map((id) => byId.get(id)).filter((a): a is AdminAgent => Boolean(a));
    if (!people.length) return h("span", { class: "muted" }, "No members");
    return h(
      "div",
      { class: "member-stack", title: people.map((p) => p.name).join(", ") },
      people.slice(0, 5).map((p) => avatar(p.id, p.name, "sm")),
      h(
        "span",
        { class: "member-names" },
        people.length > 3
          ? `${people
              .slice(0, 3)
              .map((p) => p.name)
              .join(", ")} +${people.length - 3}`
          : people.map((p) => p.name).join(", "),
      ),
    );
  };

  replace(
    s.body,
    pageHeader(
      "Teams",
      "Conversations are routed to teams; agents see their teams' conversations.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-team", onclick: () => edit(null) }, "New team"),
    ),
    teams.length
      ? table(
          [
            {
              label: "Team",
              cell: (t) => h("div", null, h("div", { class: "person-name" }, t.name), h("div", { class: "person-sub mono" }, t.slug)),
            },
            { label: "Members", cell: memberList },
            { label: "Conversations", cell: (t) => t.conversations.toLocaleString(), class: "col-num" },
            {
              label: "",
              class: "col-actions",
              cell: (t) =>
                rowActions(
                  iconButton("edit", `Edit ${t.name}`, () => edit(t)),
                  iconButton("trash", `Delete ${t.name}`, () => remove(t)),
                ),
            },
          ],
          teams,
          (t) => ({ "data-id": t.id }),
        )
      : emptyState("layers", "No teams yet", "Create teams such as Cards or Deposits to route conversations to the right people."),
  );
}
