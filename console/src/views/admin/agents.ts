import { api } from "../../api.ts";
import { h, replace } from "../../dom.ts";
import { dateTime } from "../../format.ts";
import { avatar, emptyState, toast } from "../../ui.ts";
import type { SectionContext } from "./section.ts";
import { confirmAction, field, formModal, iconButton, input, pageHeader, pill, rowActions, secretBox, select, table } from "./kit.ts";
import { twoFactorRequirement } from "./twoFactorRequirement.ts";
import { ROLE_LABELS, type AdminAgent, type AdminTeam, type AgentPasswordSet } from "./types.ts";
import type { Role } from "../../types.ts";

const ROLE_OPTIONS: Array<[Role, string]> = [
  ["agent", "Agent — answers conversations"],
  ["admin", "Admin — manages BankDesk"],
  ["content", "Content editor — knowledge base only"],
];

/** Checkboxes for team membership. */
function teamPicker(teams: AdminTeam[], selected: string[]): HTMLElement {
  if (!teams.length) return h("div", { class: "af-hint" }, "No teams yet.");
  return h(
    "div",
    { class: "check-grid", role: "group" },
    teams.map((t) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "teamIds", value: t.id, checked: selected.includes(t.id) }),
        h("span", null, t.name),
      ),
    ),
  );
}

function checkedValues(root: HTMLElement, name: string): string[] {
  return [...root.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
}

function passwordShownOnce(agent: AdminAgent, password: string): HTMLElement {
  return h(
    "div",
    null,
    h(
      "p",
      { class: "modal-text" },
      "Give this password to ",
      h("strong", null, agent.name),
      " through a channel you trust. They can sign in with it right away.",
    ),
    secretBox("Temporary password", password, "Shown once: BankDesk stores only a hash of it and cannot show it again."),
  );
}

export async function agentsSection(s: SectionContext): Promise<void> {
  const { agents, teams } = await s.page.loadPeople();
  const requirement = await twoFactorRequirement(s);
  if (!s.alive()) return;
  const me = s.page.app.me;
  const teamName = new Map(teams.map((t) => [t.id, t.name]));

  const edit = (agent: AdminAgent | null) => {
    const name = input({ name: "name", value: agent?.name ?? "", maxlength: 100, autocomplete: "off" });
    const email = input({ name: "email", type: "email", value: agent?.email ?? "", maxlength: 200 });
    const displayName = input({
      name: "displayName",
      value: agent?.displayName ?? "",
      maxlength: 40,
      placeholder: agent?.customerName ?? "",
    });
    const role = select(ROLE_OPTIONS, agent?.role ?? "agent", { name: "role" });
    const password = input({ name: "password", type: "password", autocomplete: "new-password", maxlength: 200 });
    const capacity = input({ name: "capacity", type: "number", min: 0, max: 100, value: String(agent?.capacity ?? 10) });
    const picker = teamPicker(teams, agent?.teamIds ?? []);
    const body = h(
      "div",
      { class: "af-grid" },
      field("Full name", name, { name: "name" }),
      field("Work e-mail", email, { name: "email", hint: "They sign in with it." }),
      agent
        ? field("Name customers see", displayName, {
            name: "displayName",
            hint: "Empty: their first name. Customers never see the full name or e-mail.",
          })
        : null,
      field("Role", role, { name: "role" }),
      agent
        ? field("Capacity", capacity, { name: "capacity", hint: "Open conversations auto-assignment gives them at once." })
        : field("Password", password, { name: "password", hint: "At least 10 characters. Leave empty to generate one." }),
      field("Teams", picker, { name: "teamIds", wide: true, hint: "Agents see their teams' conversations and those without a team." }),
    );
    formModal({
      title: agent ? `Edit ${agent.name}` : "New agent",
      body,
      submit: agent ? "Save changes" : "Create agent",
      wide: true,
      run: async () => {
        const teamIds = checkedValues(body, "teamIds");
        if (agent) {
          await api.patch<AdminAgent>(`/admin/agents/${agent.id}`, {
            name: name.value,
            displayName: displayName.value.trim() || null,
            email: email.value,
            role: role.value,
            teamIds,
            capacity: capacity.value === "" ? undefined : Number(capacity.value),
          });
          toast(`${name.value.trim()} updated`, { kind: "success", timeout: 2500 });
          s.reload();
          return;
        }
        const r = await api.post<AgentPasswordSet>("/admin/agents", {
          name: name.value,
          email: email.value,
          role: role.value,
          teamIds,
          ...(password.value ? { password: password.value } : {}),
        });
        toast(`${r.agent.name} can now sign in`, { kind: "success", timeout: 2500 });
        s.reload();
        return r.generatedPassword ? passwordShownOnce(r.agent, r.generatedPassword) : undefined;
      },
    });
  };

  const resetPassword = (agent: AdminAgent) => {
    const password = input({ name: "password", type: "password", autocomplete: "new-password", maxlength: 200 });
    formModal({
      title: `Reset ${agent.name}'s password`,
      body: [
        h("p", { class: "modal-text" }, "This signs them out everywhere and lifts a lock-out after failed sign-ins."),
        field("New password", password, { name: "password", hint: "At least 10 characters. Leave empty to generate one." }),
      ],
      submit: "Reset password",
      run: async () => {
        const r = await api.post<AgentPasswordSet>(
          `/admin/agents/${agent.id}/password`,
          password.value ? { password: password.value } : {},
        );
        toast(`${agent.name}'s password was reset`, { kind: "success", timeout: 2500 });
        s.reload();
        return r.generatedPassword ? passwordShownOnce(agent, r.generatedPassword) : undefined;
      },
    });
  };

  const setActive = (agent: AdminAgent, active: boolean) =>
    confirmAction({
      title: active ? `Reactivate ${agent.name}?` : `Deactivate ${agent.name}?`,
      text: active
        ? "They can sign in again with their current password."
        : "They are signed out at once and can no longer sign in. Their open conversations go back to the Unassigned queue. Their history stays.",
      confirm: active ? "Reactivate" : "Deactivate",
      danger: !active,
      run: async () => {
        await api.post(`/admin/agents/${agent.id}/${active ? "reactivate" : "deactivate"}`);
        toast(`${agent.name} ${active ? "reactivated" : "deactivated"}`, { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  const resetTwoFactor = (agent: AdminAgent) =>
    confirmAction({
      title: `Reset ${agent.name}'s two-factor sign-in?`,
      text: "For a lost or replaced phone. Their authenticator and recovery codes stop working and they are signed out everywhere. They sign in with their password and, if your organisation requires it, set up an authenticator again first.",
      confirm: "Reset two-factor",
      danger: true,
      run: async () => {
        await api.post(`/admin/agents/${agent.id}/two-factor/reset`);
        toast(`${agent.name}'s two-factor sign-in was reset`, { kind: "success", timeout: 2500 });
        s.reload();
      },
    });

  const status = (a: AdminAgent) => {
    if (a.disabled) return pill("Deactivated", "neutral");
    if (a.lockedUntil) return pill("Locked", "red", "lock");
    return pill("Active", "green");
  };

  replace(
    s.body,
    pageHeader(
      "Agents",
      "Who can sign in to BankDesk, with which role and in which teams.",
      h("button", { type: "button", class: "btn btn-primary", "data-action": "new-agent", onclick: () => edit(null) }, "New agent"),
    ),
    requirement,
    agents.length
      ? table(
          [
            {
              label: "Name",
              cell: (a) =>
                h(
                  "div",
                  { class: "person" },
                  avatar(a.id, a.name, "sm"),
                  h(
                    "div",
                    { class: "person-text" },
                    h("div", { class: "person-name" }, a.name, a.id === me.id ? h("span", { class: "muted" }, " (you)") : null),
                    h("div", { class: "person-sub" }, a.email),
                  ),
                ),
            },
            {
              label: "Role",
              cell: (a) => pill(ROLE_LABELS[a.role], a.role === "admin" ? "violet" : a.role === "content" ? "amber" : "brand"),
            },
            {
              label: "Teams",
              cell: (a) =>
                a.teamIds.length ? a.teamIds.map((t) => teamName.get(t) ?? "—").join(", ") : h("span", { class: "muted" }, "—"),
              class: "col-teams",
            },
            { label: "Status", cell: status },
            {
              label: "Two-factor",
              cell: (a) => (a.twoFactorEnabled ? pill("On", "green", "shield") : h("span", { class: "muted" }, "Off")),
            },
            { label: "Added", cell: (a) => dateTime(a.createdAt), class: "col-date" },
            {
              label: "",
              class: "col-actions",
              cell: (a) =>
                rowActions(
                  iconButton("edit", `Edit ${a.name}`, () => edit(a)),
                  iconButton("key", `Reset ${a.name}'s password`, () => resetPassword(a)),
                  iconButton("shield", `Reset ${a.name}'s two-factor sign-in`, () => resetTwoFactor(a), { disabled: !a.twoFactorEnabled }),
                  a.disabled
                    ? iconButton("userCheck", `Reactivate ${a.name}`, () => setActive(a, true))
                    : iconButton("userX", `Deactivate ${a.name}`, () => setActive(a, false), { disabled: a.id === me.id }),
                ),
            },
          ],
          agents,
          (a) => ({ "data-id": a.id, "data-email": a.email, class: a.disabled ? "row-muted" : undefined }),
        )
      : emptyState("users", "No agents yet"),
  );
}
