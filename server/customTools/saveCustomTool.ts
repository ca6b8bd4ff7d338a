import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError, notFound } from "../errors.ts";
import { parseInput } from "../validation.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { definitionSchema, hostAllowed, templateHost, type CustomToolDefinition } from "./definition.ts";
import { findLatestTool, forgetToolCache, sealToolSecret, type StoredCustomTool } from "./customToolStore.ts";

export interface SaveToolInput {
  definition: unknown;
  enabled: boolean;
  /** A new bearer token or header value; omitted on an edit keeps the previous version's. */
  secret?: string;
}

/** Checks a definition as the API and the console send it: its schema, then the host against CUSTOM_TOOL_HOSTS. */
export function checkDefinition(ctx: AppContext, raw: unknown): CustomToolDefinition {
  const d = parseInput(definitionSchema, raw, "tool definition");
  const host = templateHost(d.url);
  if (!hostAllowed(host, ctx.config.CUSTOM_TOOL_HOSTS)) {
    throw new AppError("validation_error", `Invalid tool definition: url: ${host} is not an allowed host (CUSTOM_TOOL_HOSTS)`, [
      { path: "url", message: `${host} is not an allowed host; the operator lists the hosts tools may call in CUSTOM_TOOL_HOSTS` },
    ]);
  }
  return d;
}

/** What the audit log may record of a definition: everything but the secret, with the URL's query string cut. */
function auditable(d: CustomToolDefinition, enabled: boolean): Record<string, unknown> {
  // A query string may carry an API key someone put there instead of in the secret.
  return { ...d, url: d.url.split("?")[0], enabled };
}

function needsSecret(d: CustomToolDefinition, secret: string | null) {
  if (d.auth.kind !== "none" && !secret) {
    throw new AppError("validation_error", "Invalid tool definition: secret: this authentication needs a secret", [
      { path: "secret", message: "Required for bearer or header authentication" },
    ]);
  }
}

/** Creates a tool at version 1 (audited: `custom_tool.create`, with the definition but never the secret). */
export async function createCustomTool(
  ctx: AppContext,
  props: { actor: Actor; input: SaveToolInput; ip?: string },
): Promise<StoredCustomTool> {
  authorize(canAdminister(props.actor), "Tools are for admins");
  const d = checkDefinition(ctx, props.input.definition);
  const secret = props.input.secret ? sealToolSecret(ctx.secrets, props.input.secret) : null;
  needsSecret(d, secret);
  const tool = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "INSERT INTO custom_tools (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id",
      [d.name],
    );
    if (!rows[0]) {
      throw new AppError("conflict", `A tool named "${d.name}" already exists`, [{ path: "name", message: "Already exists" }]);
    }
    const id = rows[0].id;
    await tx.query(
      "INSERT INTO custom_tool_versions (tool_id, version, definition, auth_secret, enabled, created_by) VALUES ($1, 1, $2, $3, $4, $5)",
      [id, JSON.stringify(d), secret, props.input.enabled, props.actor.type === "agent" ? props.actor.id : null],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "custom_tool.create",
      targetType: "custom_tool",
      targetId: id,
      data: { name: d.name, version: 1, definition: auditable(d, props.input.enabled), secretSet: Boolean(secret) },
      ip: props.ip,
    });
    return (await findLatestTool(tx, id))!;
  });
  forgetToolCache(ctx);
  return tool;
}

/**
 * An edit: a new version with the whole definition (the name stays), the previous
 * version's secret unless a new one is given. Audited as `custom_tool.update` with
 * the fields that changed (a new secret as `secretChanged`, never its value).
 */
export async function updateCustomTool(
  ctx: AppContext,
  props: { actor: Actor; toolId: string; input: SaveToolInput; ip?: string },
): Promise<StoredCustomTool> {
  authorize(canAdminister(props.actor), "Tools are for admins");
  const d = checkDefinition(ctx, props.input.definition);
  const newSecret = props.input.secret ? sealToolSecret(ctx.secrets, props.input.secret) : null;
  const tool = await ctx.db.transaction(async (tx) => {
    const before = await findLatestTool(tx, props.toolId, { forUpdate: true });
    if (!before) throw notFound("Tool");
    if (d.name !== before.name) {
      throw new AppError("validation_error", "Invalid tool definition: name: a tool's name cannot change", [
        { path: "name", message: `Stays "${before.name}" (create a new tool for another name)` },
      ]);
    }
    const secret = newSecret ?? before.authSecret;
    needsSecret(d, secret);
    const version = before.version + 1;
    await tx.query(
      "INSERT INTO custom_tool_versions (tool_id, version, definition, auth_secret, enabled, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
      [props.toolId, version, JSON.stringify(d), secret, props.input.enabled, props.actor.type === "agent" ? props.actor.id : null],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "custom_tool.update",
      targetType: "custom_tool",
      targetId: props.toolId,
      data: {
        name: d.name,
        version,
        changes: auditDiff(auditable(before.definition, before.enabled), auditable(d, props.input.enabled)),
        ...(newSecret ? { secretChanged: true } : {}),
      },
      ip: props.ip,
    });
    return (await findLatestTool(tx, props.toolId))!;
  });
  forgetToolCache(ctx);
  return tool;
}
