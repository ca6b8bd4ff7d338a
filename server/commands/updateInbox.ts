import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { InboxRow, InboxSettings } from "../models/inboxes.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { storedInboxSettingsSchema } from "../admin/inboxSettingsSchema.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { parseInput } from "../validation.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export interface UpdateInboxProps {
  actor: Actor;
  inboxId: string;
  name?: string;
  channel?: InboxRow["channel"];
  defaultTeamId?: string | null;
  /**
   * Settings to change; keys left out keep their value. `workingHours: null` removes
   * the working hours (always open).
   */
  settings?: Omit<InboxSettings, "workingHours"> & { workingHours?: InboxSettings["workingHours"] | null };
  ip?: string;
}

/**
 * Settings as the audit log records them: working hours one weekday per key
 * ("workingHours.1": "09:00–17:30" or "closed"), so a diff reads as what changed.
 */
function flattenForAudit(settings: InboxSettings): Record<string, unknown> {
  const { workingHours, ...rest } = settings;
  const out: Record<string, unknown> = { ...rest, workingHours: workingHours ? "limited" : "always open" };
  for (const day of ["0", "1", "2", "3", "4", "5", "6"] as const) {
    const d = workingHours?.[day];
    out[`workingHours.${day}`] = workingHours ? (d ? `${d.open}–${d.close}` : "closed") : null;
  }
  return out;
}

/**
 * Changes an inbox's name, channel, routing and settings (greeting, working hours
 * and time zone, CSAT, verification, allowed origins...). Settings are validated as
 * a whole after merging; the audit entry lists each changed field.
 */
export async function updateInbox(ctx: AppContext, props: UpdateInboxProps): Promise<InboxRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const before = (await tx.query<InboxRow>("SELECT * FROM inboxes WHERE id = $1 FOR UPDATE", [props.inboxId])).rows[0];
    if (!before) throw notFound("Inbox");
    const merged: Record<string, unknown> = { ...before.settings };
    for (const [k, v] of Object.entries(props.settings ?? {})) {
      if (v === null) delete merged[k];
      else if (v !== undefined) merged[k] = v;
    }
    // An empty list of origins means "any site", the same as none: store it as none.
    if (Array.isArray(merged.allowedOrigins) && merged.allowedOrigins.length === 0) delete merged.allowedOrigins;
    const settings = parseInput(storedInboxSettingsSchema, merged, "settings");
    if (props.defaultTeamId) {
      const team = await tx.query("SELECT 1 FROM teams WHERE id = $1", [props.defaultTeamId]);
      if (team.rowCount === 0) throw new AppError("validation_error", "No such team", [{ path: "defaultTeamId", message: "No such team" }]);
    }
    const next = {
      name: props.name?.trim() ?? before.name,
      channel: props.channel ?? before.channel,
      defaultTeamId: props.defaultTeamId === undefined ? before.default_team_id : props.defaultTeamId,
    };
    const { rows } = await tx.query<InboxRow>(
      `UPDATE inboxes SET name = $2, channel = $3, default_team_id = $4, settings = $5, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [before.id, next.name, next.channel, next.defaultTeamId, JSON.stringify(settings)],
    );
    const changes = {
      ...auditDiff({ name: before.name, channel: before.channel, defaultTeamId: before.default_team_id }, next),
      ...Object.fromEntries(
        Object.entries(auditDiff(flattenForAudit(before.settings), flattenForAudit(settings))).map(([k, v]) => [`settings.${k}`, v]),
      ),
    };
    if (Object.keys(changes).length) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "inbox.update",
        targetType: "inbox",
        targetId: before.id,
        data: { changes },
        ip: props.ip,
      });
    }
    return rows[0]!;
  });
}
