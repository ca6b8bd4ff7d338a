import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import type { Queryable } from "../../db/Database.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { auditDiff } from "../../admin/auditDiff.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { automationRuleCreateSchema, type AutomationRuleChange, type AutomationRuleInput } from "../automationRuleInput.ts";
import type { AutomationRuleRow } from "../types.ts";
import { rulesChanged } from "../automationTriggers.ts";

/** A rule's fields as the audit log records them (as the admin wrote them). */
function auditable(r: AutomationRuleRow): AutomationRuleInput {
  return {
    name: r.name,
    description: r.description,
    active: r.active,
    event: r.event,
    noReplyHours: r.no_reply_hours === null ? null : Number(r.no_reply_hours),
    conditions: r.conditions,
    actions: r.actions,
  };
}

/**
 * What a rule names must exist (a typo would make a rule that never applies or always
 * fails): inboxes and segments in the conditions; teams, agents and canned responses in the actions.
 */
async function checkReferences(db: Queryable, r: AutomationRuleInput): Promise<void> {
  const wanted: Array<{ table: "inboxes" | "segments" | "teams" | "agents" | "canned_responses"; id: string; path: string }> = [];
  for (const id of r.conditions.inboxIds ?? []) wanted.push({ table: "inboxes", id, path: "conditions.inboxIds" });
  for (const id of r.conditions.segmentIds ?? []) wanted.push({ table: "segments", id, path: "conditions.segmentIds" });
  r.actions.forEach((a, i) => {
    if (a.type === "assign_team") wanted.push({ table: "teams", id: a.teamId, path: `actions.${i}.teamId` });
    if (a.type === "assign_agent") wanted.push({ table: "agents", id: a.agentId, path: `actions.${i}.agentId` });
    if (a.type === "send_canned_reply")
      wanted.push({ table: "canned_responses", id: a.cannedResponseId, path: `actions.${i}.cannedResponseId` });
  });
  const details: Array<{ path: string; message: string }> = [];
  for (const w of wanted) {
    // The table is from the closed list above, never from input.
    const { rowCount } = await db.query(`SELECT 1 FROM ${w.table} WHERE id = $1`, [w.id]);
    if (rowCount === 0) details.push({ path: w.path, message: "Does not exist" });
  }
  if (details.length) throw new AppError("validation_error", "The rule names something that does not exist", details);
}

async function nameTaken(db: Queryable, name: string, except?: string): Promise<void> {
  const { rowCount } = await db.query("SELECT 1 FROM automation_rules WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2", [
    name,
    except ?? null,
  ]);
  if (rowCount > 0) throw new AppError("conflict", `A rule named "${name}" exists already`, [{ path: "name", message: "Already exists" }]);
}

const COLUMNS = "name = $2, description = $3, active = $4, event = $5, no_reply_hours = $6, conditions = $7, actions = $8";
const values = (r: AutomationRuleInput) => [
  r.name,
  r.description,
  r.active,
  r.event,
  r.noReplyHours,
  JSON.stringify(r.conditions),
  JSON.stringify(r.actions),
];

/** Adds an automation rule (admins; audited). */
export async function createAutomationRule(
  ctx: AppContext,
  props: { actor: Actor; rule: AutomationRuleInput; ip?: string },
): Promise<AutomationRuleRow> {
  authorize(canAdminister(props.actor));
  const r = props.rule;
  const row = await ctx.db.transaction(async (tx) => {
    await nameTaken(tx, r.name);
    await checkReferences(tx, r);
    const { rows } = await tx.query<AutomationRuleRow>(
      `INSERT INTO automation_rules (name, description, active, event, no_reply_hours, conditions, actions)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      values(r),
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "automation_rule.create",
      targetType: "automation_rule",
      targetId: rows[0]!.id,
      data: { ...r },
      ip: props.ip,
    });
    return rows[0]!;
  });
  rulesChanged(ctx);
  return row;
}

/** Changes a rule (admins; audited as a diff). The whole rule is checked again as a new one would be. */
export async function updateAutomationRule(
  ctx: AppContext,
  props: { actor: Actor; id: string; change: AutomationRuleChange; ip?: string },
): Promise<AutomationRuleRow> {
  authorize(canAdminister(props.actor));
  const row = await ctx.db.transaction(async (tx) => {
    const before = (await tx.query<AutomationRuleRow>("SELECT * FROM automation_rules WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("Automation rule");
    const current = auditable(before);
    const merged = { ...current, ...Object.fromEntries(Object.entries(props.change).filter(([, v]) => v !== undefined)) };
    // Moving to or from `no_reply` without saying the hours: the hours follow the event.
    if (props.change.event && props.change.noReplyHours === undefined && props.change.event !== "no_reply") merged.noReplyHours = null;
    const parsed = automationRuleCreateSchema.safeParse(merged);
    if (!parsed.success) {
      throw new AppError(
        "validation_error",
        parsed.error.issues[0]?.message ?? "Invalid rule",
        parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      );
    }
    const next = parsed.data;
    const changes = auditDiff(current as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    if (changes.name) await nameTaken(tx, next.name, before.id);
    await checkReferences(tx, next);
    const { rows } = await tx.query<AutomationRuleRow>(
      `UPDATE automation_rules SET ${COLUMNS}, updated_at = now() WHERE id = $1 RETURNING *`,
      [before.id, ...values(next)],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "automation_rule.update",
      targetType: "automation_rule",
      targetId: before.id,
      data: { changes },
      ip: props.ip,
    });
    return rows[0]!;
  });
  rulesChanged(ctx);
  return row;
}

/** Deletes a rule (admins; audited with what it was). Its runs stay, with its name. */
export async function deleteAutomationRule(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<AutomationRuleRow>("DELETE FROM automation_rules WHERE id = $1 RETURNING *", [props.id]);
    if (!rows[0]) throw notFound("Automation rule");
    await writeAudit(tx, {
      actor: props.actor,
      action: "automation_rule.delete",
      targetType: "automation_rule",
      targetId: props.id,
      data: { ...auditable(rows[0]) },
      ip: props.ip,
    });
  });
  rulesChanged(ctx);
}
