import type { SlaPolicy } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import type { SlaPolicyRow } from "./types.ts";

/** The only way a policy row becomes JSON. */
export function presentSlaPolicy(p: SlaPolicyRow): Presented<SlaPolicy> {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    active: p.active,
    firstResponseMinutes: p.first_response_minutes,
    nextResponseMinutes: p.next_response_minutes,
    resolutionMinutes: p.resolution_minutes,
    businessHours: p.business_hours,
    holidayCalendar: p.holiday_calendar,
    conditions: { inboxIds: p.inbox_ids, teamIds: p.team_ids, priorities: p.priorities, labels: p.labels },
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}
