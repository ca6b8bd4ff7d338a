import type { Actor } from "../context.ts";

/** Ending a customer's widget sessions (a lost phone, a shared computer, suspected fraud): admins and agents. */
export function canRevokeWidgetSessions(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "agent" && (actor.role === "admin" || actor.role === "agent"));
}
