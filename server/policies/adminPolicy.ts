import type { Actor } from "../actor.ts";
import { forbidden } from "../errors.ts";

/** Managing agents, teams, inboxes, canned responses, webhooks: admins only. */
export function canAdminister(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "agent" && actor.role === "admin");
}

/** The audit log (who changed what, who viewed a customer's accounts): admins only. */
export function canReadAuditLog(actor: Actor): boolean {
  return canAdminister(actor);
}

/** Editing and syncing the knowledge base: admins and content editors. */
export function canManageKnowledge(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "agent" && (actor.role === "admin" || actor.role === "content"));
}

/** Reading reports: admins and agents. */
export function canReadReports(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "agent" && actor.role !== "content");
}

export function authorize(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}
