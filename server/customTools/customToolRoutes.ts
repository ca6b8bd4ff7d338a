import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { ApiRouter } from "../services/web/ApiRouter.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { findLatestTool, listLatestTools, listToolVersions } from "./customToolStore.ts";
import { createCustomTool, updateCustomTool } from "./saveCustomTool.ts";
import { presentCustomTool } from "./presentCustomTool.ts";
import { callCustomTool } from "./callCustomTool.ts";
import type { CustomToolList } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";

const idParams = z.object({ id: z.string().uuid() });
/** The definition is checked by the command (definitionSchema), so a bad one gets every field's reason. */
const saveBody = z
  .object({
    definition: z.record(z.string(), z.unknown()),
    enabled: z.boolean().default(true),
    secret: z.string().min(1).max(4000).optional(),
  })
  .strict();

const adminOnly = (actor: Actor) => authorize(canAdminister(actor), "Tools are for admins");

/**
 * The bank's own tools under /api/v1/admin/tools: list, create, edit (a new version
 * each time), the versions of one, and "Try it" with sample input. Admins only; writes
 * need the CSRF token like every console write; changes and calls are audited.
 */
export function customToolRoutes(api: ApiRouter, ctx: AppContext) {
  api.add({
    method: "get",
    path: "/admin/tools",
    tag: "admin",
    summary: "The bank's own tools, each at its latest version",
    auth: "agent",
    handler: async ({ actor }): Promise<Presented<CustomToolList>> => {
      adminOnly(actor);
      return { items: (await listLatestTools(ctx.db)).map(presentCustomTool), allowedHosts: allowedHosts(ctx) };
    },
  });

  api.add({
    method: "post",
    path: "/admin/tools",
    tag: "admin",
    summary:
      "Define a tool: input schema, HTTP call on an allowed host, reply template, triggers (audited; the secret is stored encrypted)",
    auth: "agent",
    body: saveBody,
    status: 201,
    handler: async ({ actor, body, req }) => presentCustomTool(await createCustomTool(ctx, { actor, input: body, ip: req.ip })),
  });

  api.add({
    method: "get",
    path: "/admin/tools/{id}",
    tag: "admin",
    summary: "One tool: its latest version and every earlier one",
    auth: "agent",
    params: idParams,
    handler: async ({ actor, params }) => {
      adminOnly(actor);
      const versions = await listToolVersions(ctx.db, params.id);
      if (!versions.length) throw notFound("Tool");
      return { ...presentCustomTool(versions[0]!), versions: versions.map(presentCustomTool) };
    },
  });

  api.add({
    method: "put",
    path: "/admin/tools/{id}",
    tag: "admin",
    summary: "Edit a tool: saves a new version (the assistant uses the latest, when enabled); the secret is kept unless a new one is given",
    auth: "agent",
    params: idParams,
    body: saveBody,
    handler: async ({ actor, params, body, req }) =>
      presentCustomTool(await updateCustomTool(ctx, { actor, toolId: params.id, input: body, ip: req.ip })),
  });

  api.add({
    method: "post",
    path: "/admin/tools/{id}/try",
    tag: "admin",
    summary: "Try a tool's latest version with sample input: performs the real call and returns the rendered reply or the error (audited)",
    auth: "agent",
    params: idParams,
    body: z
      .object({
        params: z.record(z.string(), z.unknown()).default({}),
        language: z.enum(["en", "zh"]).default("en"),
        customerId: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    handler: async ({ actor, params, body }) => {
      adminOnly(actor);
      const tool = await findLatestTool(ctx.db, params.id);
      if (!tool) throw notFound("Tool");
      const r = await callCustomTool(ctx, tool, {
        params: body.params,
        language: body.language,
        customerId: body.customerId ?? null,
        actor,
        trial: true,
      });
      return r.ok ? r : { ...r, status: r.status ?? null };
    },
  });
}

function allowedHosts(ctx: AppContext): string[] {
  return ctx.config.CUSTOM_TOOL_HOSTS.split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}
