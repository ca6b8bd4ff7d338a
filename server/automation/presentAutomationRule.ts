import type { AutomationRule, AutomationRun } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import type { AutomationRuleRow, AutomationRunRow } from "./types.ts";

/** The only way a rule becomes JSON (the admin API, the console's Automation section). */
export function presentAutomationRule(r: AutomationRuleRow): Presented<AutomationRule> {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    active: r.active,
    event: r.event,
    noReplyHours: r.no_reply_hours === null ? null : Number(r.no_reply_hours),
    conditions: r.conditions,
    actions: r.actions,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function presentAutomationRun(r: AutomationRunRow & { display_id: number | null }): Presented<AutomationRun> {
  return {
    id: String(r.id),
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    conversationId: r.conversation_id,
    displayId: r.display_id,
    event: r.event,
    actionsTaken: r.actions_taken,
    error: r.error,
    createdAt: r.created_at,
  };
}
