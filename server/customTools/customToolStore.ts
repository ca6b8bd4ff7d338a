import type { AppContext } from "../context.ts";
import type { Queryable } from "../db/Database.ts";
import type { SecretBox } from "../security/secretBox.ts";
import { definitionSchema, type CustomToolDefinition } from "./definition.ts";

/** One version of a tool, as the assistant and the console read it (the secret still sealed). */
export interface StoredCustomTool {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  definition: CustomToolDefinition;
  /** Sealed (purpose custom_tools.secret); null when the tool sends no credentials. */
  authSecret: string | null;
  createdBy: string | null;
  createdAt: Date;
}

interface VersionRow {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  definition: unknown;
  auth_secret: string | null;
  created_by: string | null;
  created_at: Date;
}

/** Secrets of custom tools are stored sealed, bound to their column (security/secretBox.ts). */
export const TOOL_SECRET = "custom_tools.secret";
export const sealToolSecret = (secrets: SecretBox, secret: string) => secrets.seal(secret, TOOL_SECRET);
export const openToolSecret = (secrets: SecretBox, stored: string) => secrets.open(stored, TOOL_SECRET);
export const resealToolSecret = (secrets: SecretBox, stored: string) => secrets.reseal(stored, TOOL_SECRET);

/**
 * A stored version, parsed again (it was validated when saved) so that a default added
 * later applies to old versions too. One a later release no longer accepts is left out
 * rather than failing every tool, and every customer message, with it.
 */
const fromRow = (r: VersionRow): StoredCustomTool | null => {
  const parsed = definitionSchema.safeParse(r.definition);
  if (!parsed.success) return null;
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    enabled: r.enabled,
    definition: parsed.data,
    authSecret: r.auth_secret,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
};
const parsedRows = (rows: VersionRow[]) => rows.map(fromRow).filter((t): t is StoredCustomTool => t !== null);

const SELECT = `SELECT t.id, t.name, v.version, v.enabled, v.definition, v.auth_secret, v.created_by, v.created_at
  FROM custom_tools t JOIN custom_tool_versions v ON v.tool_id = t.id`;

/** Every tool at its latest version (enabled or not), by name. */
export async function listLatestTools(db: Queryable): Promise<StoredCustomTool[]> {
  const { rows } = await db.query<VersionRow>(
    `${SELECT} WHERE v.version = (SELECT max(version) FROM custom_tool_versions WHERE tool_id = t.id) ORDER BY t.name`,
  );
  return parsedRows(rows);
}

/** One tool's versions, newest first. */
export async function listToolVersions(db: Queryable, toolId: string): Promise<StoredCustomTool[]> {
  const { rows } = await db.query<VersionRow>(`${SELECT} WHERE t.id = $1 ORDER BY v.version DESC`, [toolId]);
  return parsedRows(rows);
}

/** A tool's latest version (locked for an edit when `forUpdate`). */
export async function findLatestTool(db: Queryable, toolId: string, opts: { forUpdate?: boolean } = {}): Promise<StoredCustomTool | null> {
  if (opts.forUpdate) await db.query("SELECT 1 FROM custom_tools WHERE id = $1 FOR UPDATE", [toolId]);
  const { rows } = await db.query<VersionRow>(`${SELECT} WHERE t.id = $1 ORDER BY v.version DESC LIMIT 1`, [toolId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * What the assistant offers: each tool's latest version, when that version is enabled.
 * It is read for every customer message, so a process keeps it for a few seconds; an
 * edit on this process is seen at once (forgetToolCache), on others within that time.
 */
const CACHE_MS = 5_000;
const cache = new WeakMap<AppContext, { at: number; tools: Promise<StoredCustomTool[]> }>();

export function enabledTools(ctx: AppContext): Promise<StoredCustomTool[]> {
  const hit = cache.get(ctx);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.tools;
  const tools = listLatestTools(ctx.db).then((all) => all.filter((t) => t.enabled));
  cache.set(ctx, { at: Date.now(), tools });
  tools.catch(() => cache.delete(ctx));
  return tools;
}

export function forgetToolCache(ctx: AppContext): void {
  cache.delete(ctx);
}
