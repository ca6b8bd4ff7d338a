import type { Queryable } from "../db/Database.ts";
import type { AutomationRuleRow, AutomationRunRow } from "./types.ts";

export async function listAutomationRules(db: Queryable): Promise<AutomationRuleRow[]> {
  return (await db.query<AutomationRuleRow>("SELECT * FROM automation_rules ORDER BY active DESC, created_at, id")).rows;
}

/** The latest runs, newest first: of every rule, of one, or on one conversation. */
export async function listAutomationRuns(
  db: Queryable,
  f: { ruleId?: string; conversationId?: string; limit: number },
): Promise<Array<AutomationRunRow & { display_id: number | null }>> {
  const { rows } = await db.query<AutomationRunRow & { display_id: number | null }>(
    `SELECT r.*, c.display_id FROM automation_rule_runs r LEFT JOIN conversations c ON c.id = r.conversation_id
     WHERE ($1::uuid IS NULL OR r.rule_id = $1) AND ($2::uuid IS NULL OR r.conversation_id = $2)
     ORDER BY r.created_at DESC, r.id DESC LIMIT $3`,
    [f.ruleId ?? null, f.conversationId ?? null, f.limit],
  );
  return rows;
}
