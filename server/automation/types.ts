import type { AutomationAction, AutomationConditions, AutomationEvent } from "../../shared/wire/index.ts";

/** Row shapes of the automation tables (036_automation_rules.sql). */

export interface AutomationRuleRow {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  event: AutomationEvent;
  /** numeric: the driver returns it as text. */
  no_reply_hours: string | null;
  conditions: AutomationConditions;
  actions: AutomationAction[];
  created_at: Date;
  updated_at: Date;
}

export interface AutomationRunRow {
  id: string;
  rule_id: string | null;
  rule_name: string;
  conversation_id: string | null;
  event: AutomationEvent;
  event_key: string;
  actions_taken: string[];
  error: string | null;
  created_at: Date;
}
