import type { CalendarId } from "../cases/businessCalendar.ts";
import type { SlaMetric } from "../../shared/wire/index.ts";

/** Row shapes of the SLA tables (031_sla_policies.sql). */

export const SLA_METRICS = ["first_response", "next_response", "resolution"] as const satisfies readonly SlaMetric[];
export type { SlaMetric };
export type SlaAlertLevel = "near_breach" | "breach";

/** Share of a target's time after which it is near its breach (as the complaint clocks). */
export const SLA_NEAR_BREACH_SHARE = 0.8;

export interface SlaPolicyRow {
  id: string;
  name: string;
  position: number;
  active: boolean;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  business_hours: boolean;
  holiday_calendar: CalendarId | null;
  inbox_ids: string[];
  team_ids: string[];
  priorities: string[];
  labels: string[];
  created_at: Date;
  updated_at: Date;
}

export interface ConversationSlaRow {
  conversation_id: string;
  policy_id: string | null;
  started_at: Date;
  first_response_due_at: Date | null;
  first_response_near_at: Date | null;
  first_response_at: Date | null;
  next_response_since: Date | null;
  next_response_due_at: Date | null;
  next_response_near_at: Date | null;
  next_responses_met: number;
  next_responses_missed: number;
  resolution_due_at: Date | null;
  resolution_near_at: Date | null;
  resolved_at: Date | null;
  first_response_breached_at: Date | null;
  next_response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  next_due_at: Date | null;
  updated_at: Date;
}
