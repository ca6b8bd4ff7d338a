import { z } from "zod";
import type { AppContext } from "../../../context.ts";
import type { Actor } from "../../../actor.ts";
import type { ApiRouter } from "../ApiRouter.ts";
import { ROLES } from "../../../models/agents.ts";
import { authorize, canAdminister, canReadAuditLog } from "../../../policies/adminPolicy.ts";
import { presentAgentForAdmin } from "../../../presenters/presentAgent.ts";
import { presentTeam } from "../../../presenters/presentTeam.ts";
import { presentInbox } from "../../../presenters/presentInbox.ts";
import { presentCannedResponse } from "../../../presenters/presentCannedResponse.ts";
import { presentLabel } from "../../../presenters/presentLabel.ts";
import { presentAuditEntry } from "../../../presenters/presentAuditEntry.ts";
import { inboxSettingsSchema, workingHoursSchema } from "../../../admin/inboxSettingsSchema.ts";
import { listAuditLog } from "../../../admin/listAuditLog.ts";
import { listAgentSessions } from "../../../admin/listAgentSessions.ts";
import { presentAgentSession } from "../../../presenters/presentAgentSession.ts";
import { endAgentSession } from "../../../commands/endAgentSession.ts";
import { SESSION_COOKIE } from "../authenticate.ts";
import { createAgent } from "../../../commands/createAgent.ts";
import { updateAgent } from "../../../commands/updateAgent.ts";
import { displayNameInput } from "../../../agents/customerFacingName.ts";
import { setAgentActive } from "../../../commands/setAgentActive.ts";
import { resetAgentPassword } from "../../../commands/resetAgentPassword.ts";
import { MIN_PASSWORD_LENGTH } from "../../../auth/passwordPolicy.ts";
import { createTeam } from "../../../commands/createTeam.ts";
import { updateTeam } from "../../../commands/updateTeam.ts";
import { deleteTeam } from "../../../commands/deleteTeam.ts";
import { createInbox } from "../../../commands/createInbox.ts";
import { updateInbox } from "../../../commands/updateInbox.ts";
import { rotateInboxSecret } from "../../../commands/rotateInboxSecret.ts";
import { createCannedResponse } from "../../../commands/createCannedResponse.ts";
import { updateCannedResponse } from "../../../commands/updateCannedResponse.ts";
import { deleteCannedResponse } from "../../../commands/deleteCannedResponse.ts";
import { createLabel } from "../../../commands/createLabel.ts";
import { updateLabel } from "../../../commands/updateLabel.ts";
import { deleteLabel } from "../../../commands/deleteLabel.ts";
import { randomPassword } from "../../../auth/password.ts";
import { resetAgentTwoFactor } from "../../../twoFactor/commands/resetAgentTwoFactor.ts";
import { readOrganisationSettings } from "../../../admin/organisationSettings.ts";
import { updateOrganisationSettings } from "../../../commands/updateOrganisationSettings.ts";
import { notFound } from "../../../errors.ts";
import { findAgentWithTeamIds, listAgentsForAdmin } from "../../../agents/agentQueries.ts";
import { findTeamWithUsage, listTeamsWithUsage, type TeamWithUsage } from "../../../teams/teamQueries.ts";
import { findInbox, listInboxes } from "../../../conversations/queries.ts";
import { listCannedResponses } from "../../../cannedResponses/cannedResponseQueries.ts";
import { listLabels, listLabelsWithUsage } from "../../../labels/labelQueries.ts";
import {
  INBOX_CHANNELS,
  type AgentPasswordSet,
  type AgentSessionList,
  type AuditLogPage,
  type InboxWithSecret,
  type TeamForAdmin,
} from "../../../../shared/wire/index.ts";
import type { Presented } from "../../../presenters/Presented.ts";

const id = z.object({ id: z.string().uuid() });
const name = z.string().trim().min(1, "Required").max(100, "At most 100 characters");
const email = z.string().trim().email("Not a valid e-mail address").max(200);
const password = z.string().min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters`).max(200);
const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use 1–40 lower-case letters, digits and dashes");
const uuids = z.array(z.string().uuid()).max(200);
const shortCode = z.string().trim().min(1, "Required").max(41);
const cannedContent = z.string().trim().min(1, "Required").max(4000, "At most 4,000 characters");
const labelFields = {
  name: z.string().trim().min(1, "Required").max(50, "At most 50 characters"),
  colour: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour such as #1f4fd8"),
  description: z.string().trim().max(200, "At most 200 characters"),
};

/** A readable, stable identifier from a name ("Cards & payments" → "cards-payments"). */
function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

const adminOnly = (actor: Actor) => authorize(canAdminister(actor), "Administration is for admins");

/**
 * The admin console's API: console users, teams, inboxes, canned responses, labels
 * and the audit log. Every route is for admins only (the commands check it again);
 * writes need the CSRF token like every console write, and each is audited.
 */
export function adminRoutes(api: ApiRouter, ctx: AppContext) {
  // --- Console users -----------------------------------------------------------------------------

  const agentById = async (agentId: string) => {
    const agent = await findAgentWithTeamIds(ctx.db, agentId);
    if (!agent) throw notFound("Agent");
    return presentAgentForAdmin(agent, agent.team_ids);
  };

  api.add({
    method: "get",
    path: "/admin/sessions",
    tag: "admin",
    summary: "Console sessions in use: who, from which address and browser, since when, last active",
    auth: "agent",
    handler: async ({ actor, req }): Promise<Presented<AgentSessionList>> => {
      adminOnly(actor);
      const rows = await listAgentSessions(ctx.db, {
        idleMinutes: ctx.config.SESSION_IDLE_MINUTES,
        currentToken: req.cookies?.[SESSION_COOKIE],
      });
      return { items: rows.map(presentAgentSession), idleMinutes: ctx.config.SESSION_IDLE_MINUTES };
    },
  });

  api.add({
    method: "delete",
    path: "/admin/sessions/{id}",
    tag: "admin",
    summary: "End a console session: signed out at once, its sockets closed on every node (audited)",
    auth: "agent",
    params: z.object({ id: z.string().uuid() }),
    handler: async ({ actor, params, req }) => {
      await endAgentSession(ctx, { actor, sessionId: params.id, ip: req.ip });
      return undefined;
    },
  });

  api.add({
    method: "get",
    path: "/admin/agents",
    tag: "admin",
    summary: "Every console user, deactivated ones included",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return { items: (await listAgentsForAdmin(ctx.db)).map((a) => presentAgentForAdmin(a, a.team_ids)) };
    },
  });

  api.add({
    method: "post",
    path: "/admin/agents",
    tag: "admin",
    summary: "Create a console user; without a password one is generated and returned once",
    auth: "agent",
    status: 201,
    body: z.object({ email, name, role: z.enum(ROLES), password: password.optional(), teamIds: uuids.optional() }).strict(),
    handler: async ({ actor, body, req }): Promise<Presented<AgentPasswordSet>> => {
      const generated = body.password === undefined ? randomPassword() : null;
      const agent = await createAgent(ctx, {
        actor,
        ...body,
        password: body.password ?? generated!,
        passwordGenerated: generated !== null,
        ip: req.ip,
      });
      return { agent: await agentById(agent.id), generatedPassword: generated };
    },
  });

  api.add({
    method: "patch",
    path: "/admin/agents/{id}",
    tag: "admin",
    summary:
      "Change a console user's name, display name (what customers see; null: the first name), e-mail, role, teams or capacity (the last admin cannot be demoted)",
    auth: "agent",
    params: id,
    body: z
      .object({
        name: name.optional(),
        displayName: displayNameInput.optional(),
        email: email.optional(),
        role: z.enum(ROLES).optional(),
        teamIds: uuids.optional(),
        capacity: z.number().int().min(0).max(100).optional(),
      })
      .strict(),
    handler: async ({ actor, params, body, req }) => {
      await updateAgent(ctx, { actor, agentId: params.id, ...body, ip: req.ip });
      return agentById(params.id);
    },
  });

  api.add({
    method: "post",
    path: "/admin/agents/{id}/password",
    tag: "admin",
    summary: "Set a new password (generated and returned once when none is given); ends the user's sessions",
    auth: "agent",
    params: id,
    body: z.object({ password: password.optional() }).strict(),
    handler: async ({ actor, params, body, req }): Promise<Presented<AgentPasswordSet>> => {
      const r = await resetAgentPassword(ctx, { actor, agentId: params.id, password: body.password, ip: req.ip });
      return { agent: await agentById(params.id), generatedPassword: r.generatedPassword };
    },
  });

  for (const [verb, active] of [
    ["deactivate", false],
    ["reactivate", true],
  ] as const) {
    api.add({
      method: "post",
      path: `/admin/agents/{id}/${verb}`,
      tag: "admin",
      summary: active
        ? "Reactivate a console user"
        : "Deactivate a console user: signs them out and unassigns their open conversations (not the last admin, not yourself)",
      auth: "agent",
      params: id,
      handler: async ({ actor, params, req }) => {
        await setAgentActive(ctx, { actor, agentId: params.id, active, ip: req.ip });
        return agentById(params.id);
      },
    });
  }

  api.add({
    method: "post",
    path: "/admin/agents/{id}/two-factor/reset",
    tag: "admin",
    summary:
      "Take away a console user's two-factor sign-in (a lost phone) and end their sessions; they sign in with the password alone or set it up again",
    auth: "agent",
    params: id,
    handler: async ({ actor, params, req }) => {
      await resetAgentTwoFactor(ctx, { actor, agentId: params.id, ip: req.ip });
      return agentById(params.id);
    },
  });

  // --- Organisation ----------------------------------------------------------------------------------

  api.add({
    method: "get",
    path: "/admin/organisation",
    tag: "admin",
    summary:
      "The organisation's settings: whether all staff must use two-factor sign-in, and how long closed complaint cases are kept (days; null: for ever)",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return readOrganisationSettings(ctx.db);
    },
  });

  api.add({
    method: "patch",
    path: "/admin/organisation",
    tag: "admin",
    summary:
      "Change the organisation's settings; requiring two-factor sign-in limits staff without it to setting it up, at once; caseRetentionDays (365 to 36500, or null) is when retention anonymises a closed complaint case (audited)",
    auth: "agent",
    body: z.object({ requireStaffTwoFactor: z.boolean().optional(), caseRetentionDays: z.number().int().nullable().optional() }).strict(),
    handler: async ({ actor, body, req }) => updateOrganisationSettings(ctx, { actor, changes: body, ip: req.ip }),
  });

  // --- Teams -----------------------------------------------------------------------------------------

  const teamOut = (t: TeamWithUsage): Presented<TeamForAdmin> => ({
    ...presentTeam(t),
    conversations: t.conversations ?? 0,
  });

  api.add({
    method: "get",
    path: "/admin/teams",
    tag: "admin",
    summary: "Teams with their members and how many conversations they hold",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return { items: (await listTeamsWithUsage(ctx.db)).map(teamOut) };
    },
  });

  const teamById = async (teamId: string) => {
    const team = await findTeamWithUsage(ctx.db, teamId);
    if (!team) throw notFound("Team");
    return teamOut(team);
  };

  api.add({
    method: "post",
    path: "/admin/teams",
    tag: "admin",
    summary: "Create a team",
    auth: "agent",
    status: 201,
    body: z.object({ name, slug: slug.optional(), memberIds: uuids.optional() }).strict(),
    handler: async ({ actor, body, req }) => {
      adminOnly(actor);
      const s = body.slug ?? slugify(body.name);
      const teamSlug = slug.safeParse(s).success ? s : `team-${Date.now().toString(36)}`;
      const team = await createTeam(ctx, { actor, name: body.name, slug: teamSlug, memberIds: body.memberIds, ip: req.ip });
      return teamById(team.id);
    },
  });

  api.add({
    method: "patch",
    path: "/admin/teams/{id}",
    tag: "admin",
    summary: "Rename a team and/or replace its members",
    auth: "agent",
    params: id,
    body: z.object({ name: name.optional(), memberIds: uuids.optional() }).strict(),
    handler: async ({ actor, params, body, req }) => {
      await updateTeam(ctx, { actor, teamId: params.id, ...body, ip: req.ip });
      return teamById(params.id);
    },
  });

  api.add({
    method: "delete",
    path: "/admin/teams/{id}",
    tag: "admin",
    summary: "Delete a team; its conversations move to `moveConversationsTo` (required when it has any)",
    auth: "agent",
    params: id,
    query: z.object({ moveConversationsTo: z.string().uuid().optional() }),
    handler: async ({ actor, params, query, req }) => {
      await deleteTeam(ctx, { actor, teamId: params.id, moveConversationsTo: query.moveConversationsTo, ip: req.ip });
      return undefined;
    },
  });

  // --- Inboxes -------------------------------------------------------------------------------------------

  const inboxById = async (inboxId: string) => {
    const inbox = await findInbox(ctx.db, inboxId);
    if (!inbox) throw notFound("Inbox");
    return presentInbox(inbox);
  };

  api.add({
    method: "get",
    path: "/admin/inboxes",
    tag: "admin",
    summary: "Inboxes with their settings (never the identity secret)",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return { items: (await listInboxes(ctx.db)).map((i) => presentInbox(i)) };
    },
  });

  api.add({
    method: "get",
    path: "/admin/inboxes/{id}",
    tag: "admin",
    summary: "One inbox with its settings",
    auth: "agent",
    params: id,
    handler: async ({ actor, params }) => {
      adminOnly(actor);
      return inboxById(params.id);
    },
  });

  api.add({
    method: "post",
    path: "/admin/inboxes",
    tag: "admin",
    summary: "Create an inbox; its identity secret is in this response only",
    auth: "agent",
    status: 201,
    body: z
      .object({
        name,
        slug,
        channel: z.enum(INBOX_CHANNELS),
        defaultTeamId: z.string().uuid().nullable().optional(),
        settings: inboxSettingsSchema.optional(),
      })
      .strict(),
    handler: async ({ actor, body, req }): Promise<Presented<InboxWithSecret>> => {
      const inbox = await createInbox(ctx, { actor, ...body, ip: req.ip });
      return { inbox: presentInbox(inbox), identitySecret: inbox.identity_secret };
    },
  });

  api.add({
    method: "patch",
    path: "/admin/inboxes/{id}",
    tag: "admin",
    summary: "Change an inbox's name, channel, routing or settings (keys left out keep their value; workingHours null: always open)",
    auth: "agent",
    params: id,
    body: z
      .object({
        name: name.optional(),
        channel: z.enum(INBOX_CHANNELS).optional(),
        defaultTeamId: z.string().uuid().nullable().optional(),
        settings: inboxSettingsSchema.extend({ workingHours: workingHoursSchema.nullable().optional() }).strict().optional(),
      })
      .strict(),
    handler: async ({ actor, params, body, req }) => {
      const inbox = await updateInbox(ctx, { actor, inboxId: params.id, ...body, ip: req.ip });
      return presentInbox(inbox);
    },
  });

  api.add({
    method: "post",
    path: "/admin/inboxes/{id}/identity-secret",
    tag: "admin",
    summary: "Rotate the identity secret; the new secret is in this response only",
    auth: "agent",
    params: id,
    handler: async ({ actor, params, req }): Promise<Presented<InboxWithSecret>> => {
      const r = await rotateInboxSecret(ctx, { actor, inboxId: params.id, ip: req.ip });
      return { inbox: presentInbox(r.inbox), identitySecret: r.identitySecret };
    },
  });

  // --- Canned responses ------------------------------------------------------------------------------------

  api.add({
    method: "get",
    path: "/admin/canned-responses",
    tag: "admin",
    summary: "Canned responses with their ids",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return { items: (await listCannedResponses(ctx.db)).map(presentCannedResponse) };
    },
  });

  api.add({
    method: "post",
    path: "/admin/canned-responses",
    tag: "admin",
    summary: "Add a canned response (unique short code)",
    auth: "agent",
    status: 201,
    body: z.object({ shortCode, content: cannedContent }).strict(),
    handler: async ({ actor, body, req }) => presentCannedResponse(await createCannedResponse(ctx, { actor, ...body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/admin/canned-responses/{id}",
    tag: "admin",
    summary: "Change a canned response",
    auth: "agent",
    params: id,
    body: z.object({ shortCode: shortCode.optional(), content: cannedContent.optional() }).strict(),
    handler: async ({ actor, params, body, req }) =>
      presentCannedResponse(await updateCannedResponse(ctx, { actor, id: params.id, ...body, ip: req.ip })),
  });

  api.add({
    method: "delete",
    path: "/admin/canned-responses/{id}",
    tag: "admin",
    summary: "Delete a canned response",
    auth: "agent",
    params: id,
    handler: async ({ actor, params, req }) => {
      await deleteCannedResponse(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });

  // --- Labels -------------------------------------------------------------------------------------------------

  api.add({
    method: "get",
    path: "/labels",
    tag: "directory",
    summary: "The label vocabulary (name, colour, description) for tagging conversations",
    auth: "agent",
    handler: async () => {
      return { items: (await listLabels(ctx.db)).map((l) => presentLabel(l)) };
    },
  });

  api.add({
    method: "get",
    path: "/admin/labels",
    tag: "admin",
    summary: "Labels with how many conversations carry each",
    auth: "agent",
    handler: async ({ actor }) => {
      adminOnly(actor);
      return { items: (await listLabelsWithUsage(ctx.db)).map((l) => presentLabel(l)) };
    },
  });

  api.add({
    method: "post",
    path: "/admin/labels",
    tag: "admin",
    summary: "Add a label",
    auth: "agent",
    status: 201,
    body: z
      .object({ name: labelFields.name, colour: labelFields.colour.optional(), description: labelFields.description.optional() })
      .strict(),
    handler: async ({ actor, body, req }) => presentLabel(await createLabel(ctx, { actor, ...body, ip: req.ip })),
  });

  api.add({
    method: "patch",
    path: "/admin/labels/{id}",
    tag: "admin",
    summary: "Rename (also on every conversation), recolour or describe a label",
    auth: "agent",
    params: id,
    body: z
      .object({ name: labelFields.name.optional(), colour: labelFields.colour.optional(), description: labelFields.description.optional() })
      .strict(),
    handler: async ({ actor, params, body, req }) => presentLabel(await updateLabel(ctx, { actor, id: params.id, ...body, ip: req.ip })),
  });

  api.add({
    method: "delete",
    path: "/admin/labels/{id}",
    tag: "admin",
    summary: "Delete a label (also removes it from every conversation)",
    auth: "agent",
    params: id,
    handler: async ({ actor, params, req }) => {
      await deleteLabel(ctx, { actor, id: params.id, ip: req.ip });
      return undefined;
    },
  });

  // --- Audit log -------------------------------------------------------------------------------------------------

  api.add({
    method: "get",
    path: "/admin/audit-log",
    tag: "admin",
    summary: "The audit log, newest first; filter by actor, action (exact, or a prefix ending in '.') and target; page with `before`",
    auth: "agent",
    query: z.object({
      actorId: z.string().uuid().optional(),
      action: z
        .string()
        .trim()
        .regex(/^[a-z0-9_.]{1,80}$/, "An action such as agent.update, or a prefix such as agent.")
        .optional(),
      targetType: z
        .string()
        .regex(/^[a-z_]{1,40}$/)
        .optional(),
      targetId: z.string().max(100).optional(),
      before: z
        .string()
        .regex(/^\d{1,18}$/, "A cursor from nextCursor")
        .optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    handler: async ({ actor, query }): Promise<Presented<AuditLogPage>> => {
      authorize(canReadAuditLog(actor), "The audit log is for admins");
      const r = await listAuditLog(ctx.db, query);
      return { items: r.items.map(presentAuditEntry), nextCursor: r.nextCursor };
    },
  });
}
