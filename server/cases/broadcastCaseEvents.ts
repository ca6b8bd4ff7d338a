import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { rooms } from "../services/realtime/rooms.ts";
import { AGENT_EVENTS, AGENT_NAMESPACE } from "../../shared/wire/index.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { presentCase } from "./presentCase.ts";
import type { CaseRow } from "./types.ts";

/** The console rooms that may see a case (mirrors casePolicy.canReadCase: admins, its team or everyone for none, its owner). */
export function caseRooms(c: Pick<CaseRow, "team_id" | "owner_id">): string[] {
  return rooms.staffFor({ team_id: c.team_id, assignee_id: c.owner_id });
}

/**
 * Cases in the console in real time (listeners in events/listeners.ts): every change
 * as a `case` event, and clock alerts as `case_alert` (the console shows them as a
 * notice to the owner and the supervisors).
 */
export function caseSocketEvents(out: Broadcaster) {
  return {
    changed: ({ case: c }: { case: CaseRow }) => out.to(AGENT_NAMESPACE, caseRooms(c), AGENT_EVENTS.case, presentCase(c)),
    clockAlert: ({ case: c, clock, level, dueAt }: DomainEvents["case.clock_alert"]) =>
      out.to(AGENT_NAMESPACE, caseRooms(c), AGENT_EVENTS.caseAlert, {
        caseId: c.id,
        reference: c.reference,
        ownerId: c.owner_id,
        clock,
        level,
        dueAt: dueAt.toISOString(),
      }),
  };
}
