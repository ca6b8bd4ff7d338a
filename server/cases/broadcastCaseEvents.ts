import type { AppContext } from "../context.ts";
import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { rooms } from "../services/realtime/rooms.ts";
import { presentCase } from "./presentCase.ts";
import type { CaseRow } from "./types.ts";

/** The console rooms that may see a case (mirrors casePolicy.canReadCase: admins, its team or everyone for none, its owner). */
export function caseRooms(c: Pick<CaseRow, "team_id" | "owner_id">): string[] {
  return rooms.staffFor({ team_id: c.team_id, assignee_id: c.owner_id });
}

/**
 * Cases in the console in real time: every change as a `case` event, and clock
 * alerts as `case_alert` (the console shows them as a notice to the owner and the
 * supervisors).
 */
export function broadcastCaseEvents(ctx: AppContext, out: Broadcaster): void {
  const changed = ({ case: c }: { case: CaseRow }) => out.to("/agent", caseRooms(c), "case", presentCase(c));
  ctx.bus.on("case.created", changed);
  ctx.bus.on("case.updated", changed);
  ctx.bus.on("case.status_changed", changed);
  ctx.bus.on("case.clock_alert", ({ case: c, clock, level, dueAt }) =>
    out.to("/agent", caseRooms(c), "case_alert", {
      caseId: c.id,
      reference: c.reference,
      ownerId: c.owner_id,
      clock,
      level,
      dueAt: dueAt.toISOString(),
    }),
  );
}
