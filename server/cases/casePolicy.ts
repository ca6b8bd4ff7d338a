import type { Actor } from "../actor.ts";
import { forbidden, notFound, AppError } from "../errors.ts";
import type { CaseRow } from "./types.ts";

/**
 * Who may see and work on a complaint case; the only place that decides it.
 *
 * - admins (the supervisors): every case;
 * - agents: cases they own, and cases of their teams or of no team (as conversations);
 * - content editors and customers: none through the console API;
 * - the bot and the system: every case (they act for commands).
 */
export function canReadCase(actor: Actor, c: Pick<CaseRow, "owner_id" | "team_id">): boolean {
  switch (actor.type) {
    case "bot":
    case "system":
      return true;
    case "contact":
      return false;
    case "agent":
      if (actor.role === "admin") return true;
      if (actor.role !== "agent") return false;
      return c.owner_id === actor.id || c.team_id === null || actor.teamIds.includes(c.team_id);
  }
}

/** Not found (not forbidden) for a case the actor may not see: references are not to be probed. */
export function authorizeCase(actor: Actor, c: CaseRow | undefined): CaseRow {
  if (!c || !canReadCase(actor, c)) throw notFound("Case");
  return c;
}

/**
 * Changing a case: whoever may read it, while it still holds its record. A case that
 * retention anonymised is the closed record the regulator's reports count: reopening,
 * editing or writing to it would build a new case on a record without its text.
 */
export function authorizeCaseChange(actor: Actor, c: CaseRow | undefined): CaseRow {
  const found = authorizeCase(actor, c);
  if (found.anonymised_at) throw new AppError("conflict", "This case was anonymised by retention and can no longer be changed");
  return found;
}

/** Opening a case: staff who can work on conversations, and the assistant for a complaint. */
export function canOpenCase(actor: Actor): boolean {
  return actor.type === "bot" || actor.type === "system" || (actor.type === "agent" && actor.role !== "content");
}

/**
 * An extension of the deadline needs a recorded approval (CBIRC Order 2020 No. 3,
 * Art. 21: senior management's for the second): the approver is a supervisor (admin),
 * who is then on the timeline as such.
 */
export function canApproveExtension(actor: Actor): boolean {
  return actor.type === "agent" && actor.role === "admin";
}

/** Editing the taxonomy: admins. */
export function canEditTaxonomy(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "agent" && actor.role === "admin");
}

/**
 * A case's owner is a complaint specialist who did not handle what the customer
 * complains about: CBIRC Order 2020 No. 3 requires a recusal rule (回避制度), the
 * complaint handled by someone with no direct interest in the matter, and our
 * published promise is "a named case handler who was not involved in the original issue".
 */
export function checkOwner(c: Pick<CaseRow, "handler_ids">, owner: { id: string; role: string; disabled: boolean }): void {
  if (owner.disabled) throw new AppError("validation_error", "That agent is deactivated", [{ path: "ownerId", message: "Deactivated" }]);
  if (owner.role === "content")
    throw new AppError("validation_error", "A content editor cannot own a complaint", [
      { path: "ownerId", message: "Not a complaint handler" },
    ]);
  if (c.handler_ids.includes(owner.id))
    throw new AppError("conflict", "This agent handled the conversation the customer complains about and cannot own the complaint", [
      { path: "ownerId", message: "Handled the complained-about conversation" },
    ]);
}

export function authorizeOpen(actor: Actor): void {
  if (!canOpenCase(actor)) throw forbidden();
}
