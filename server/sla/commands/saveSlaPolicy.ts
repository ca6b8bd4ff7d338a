import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import type { Queryable } from "../../db/Database.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { auditDiff } from "../../admin/auditDiff.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import type { SlaPolicyChange, SlaPolicyInput } from "../slaPolicyInput.ts";
import type { SlaPolicyRow } from "../types.ts";
import type { Priority } from "../../models/conversations.ts";
import { REAPPLY_JOB } from "../reapplySlaPolicies.ts";

/** The policy's fields as the audit log records them (camelCase, as the admin wrote them). */
function auditable(p: SlaPolicyRow): SlaPolicyInput {
  return {
    name: p.name,
    position: p.position,
    active: p.active,
    firstResponseMinutes: p.first_response_minutes,
    nextResponseMinutes: p.next_response_minutes,
    resolutionMinutes: p.resolution_minutes,
    businessHours: p.business_hours,
    holidayCalendar: p.holiday_calendar,
    conditions: { inboxIds: p.inbox_ids, teamIds: p.team_ids, priorities: p.priorities as Priority[], labels: p.labels },
  };
}

/** Inboxes and teams named in the conditions must exist: a typo would make a policy that never applies. */
async function checkConditions(db: Queryable, c: SlaPolicyInput["conditions"]): Promise<void> {
  const missing = async (table: "inboxes" | "teams", ids: string[]) =>
    ids.length
      ? (await db.query<{ id: string }>(`SELECT x FROM unnest($1::uuid[]) x WHERE x NOT IN (SELECT id FROM ${table})`, [ids])).rows
      : [];
  const [inboxes, teams] = await Promise.all([missing("inboxes", c.inboxIds), missing("teams", c.teamIds)]);
  const details = [
    ...(inboxes.length ? [{ path: "conditions.inboxIds", message: "No such inbox" }] : []),
    ...(teams.length ? [{ path: "conditions.teamIds", message: "No such team" }] : []),
  ];
  if (details.length) throw new AppError("validation_error", "A condition names an inbox or team that does not exist", details);
}

async function nameTaken(db: Queryable, name: string, except?: string): Promise<void> {
  const { rowCount } = await db.query("SELECT 1 FROM sla_policies WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2", [
    name,
    except ?? null,
  ]);
  if (rowCount > 0)
    throw new AppError("conflict", `A policy named "${name}" exists already`, [{ path: "name", message: "Already exists" }]);
}

/** Running conversations are measured against the policies as they are now: re-applied on a worker. */
async function reapply(ctx: AppContext, policyId: string): Promise<void> {
  await ctx.queue
    .enqueue(REAPPLY_JOB, { policyId, at: new Date().toISOString() })
    .catch((err) => ctx.logger.warn({ err, policyId }, "could not queue the re-application of SLA policies"));
}

/** Adds an SLA policy (admins; audited). */
export async function createSlaPolicy(
  ctx: AppContext,
  props: { actor: Actor; policy: SlaPolicyInput; ip?: string },
): Promise<SlaPolicyRow> {
  authorize(canAdminister(props.actor));
  const p = props.policy;
  const row = await ctx.db.transaction(async (tx) => {
    await nameTaken(tx, p.name);
    await checkConditions(tx, p.conditions);
    const { rows } = await tx.query<SlaPolicyRow>(
      `INSERT INTO sla_policies (name, position, active, first_response_minutes, next_response_minutes, resolution_minutes,
                                 business_hours, holiday_calendar, inbox_ids, team_ids, priorities, labels)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        p.name,
        p.position,
        p.active,
        p.firstResponseMinutes,
        p.nextResponseMinutes,
        p.resolutionMinutes,
        p.businessHours,
        p.holidayCalendar,
        p.conditions.inboxIds,
        p.conditions.teamIds,
        p.conditions.priorities,
        [...new Set(p.conditions.labels)],
      ],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "sla_policy.create",
      targetType: "sla_policy",
      targetId: rows[0]!.id,
      data: { ...p },
      ip: props.ip,
    });
    return rows[0]!;
  });
  await reapply(ctx, row.id);
  return row;
}

/**
 * Changes a policy (admins; audited as a diff). Policies are retired (`active: false`),
 * never deleted: conversations measured against one keep it in the reports.
 */
export async function updateSlaPolicy(
  ctx: AppContext,
  props: { actor: Actor; id: string; change: SlaPolicyChange; ip?: string },
): Promise<SlaPolicyRow> {
  authorize(canAdminister(props.actor));
  const result = await ctx.db.transaction(async (tx) => {
    const before = (await tx.query<SlaPolicyRow>("SELECT * FROM sla_policies WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("SLA policy");
    const current = auditable(before);
    const next: SlaPolicyInput = { ...current, ...stripUndefined(props.change) };
    if (!next.firstResponseMinutes && !next.nextResponseMinutes && !next.resolutionMinutes) {
      throw new AppError("validation_error", "Set at least one target (first response, next response or resolution)", [
        { path: "firstResponseMinutes", message: "At least one target" },
      ]);
    }
    const changes = auditDiff(current as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return { row: before, changed: false };
    if (changes.name) await nameTaken(tx, next.name, before.id);
    if (changes.conditions) await checkConditions(tx, next.conditions);
    const { rows } = await tx.query<SlaPolicyRow>(
      `UPDATE sla_policies SET name = $2, position = $3, active = $4, first_response_minutes = $5, next_response_minutes = $6,
         resolution_minutes = $7, business_hours = $8, holiday_calendar = $9, inbox_ids = $10, team_ids = $11, priorities = $12,
         labels = $13, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [
        before.id,
        next.name,
        next.position,
        next.active,
        next.firstResponseMinutes,
        next.nextResponseMinutes,
        next.resolutionMinutes,
        next.businessHours,
        next.holidayCalendar,
        next.conditions.inboxIds,
        next.conditions.teamIds,
        next.conditions.priorities,
        [...new Set(next.conditions.labels)],
      ],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "sla_policy.update",
      targetType: "sla_policy",
      targetId: before.id,
      data: { changes },
      ip: props.ip,
    });
    return { row: rows[0]!, changed: true };
  });
  if (result.changed) await reapply(ctx, result.row.id);
  return result.row;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
