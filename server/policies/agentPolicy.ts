import type { Actor } from "../actor.ts";
import type { Role } from "../models/agents.ts";
import { AppError } from "../errors.ts";
import { authorize, canAdminister } from "./adminPolicy.ts";

/** A change to a console user's role or active state, with what the policy needs to judge it. */
export interface AgentChange {
  target: { id: string; role: Role; active: boolean };
  next: { role: Role; active: boolean };
  /** Active admins now, the target included when it is one. */
  activeAdmins: number;
}

/**
 * Why a change to a console user must be refused, or null when it may go ahead.
 *
 * - only admins (and the system) manage users;
 * - nobody deactivates their own account (they would lock themselves out mid-change);
 * - the last active admin can be neither demoted nor deactivated: someone must be
 *   left who can manage the console.
 */
export function agentChangeRefusal(actor: Actor, change: AgentChange): { code: "forbidden" | "conflict"; message: string } | null {
  if (!canAdminister(actor)) return { code: "forbidden", message: "You are not allowed to do that" };
  if (actor.type === "agent" && actor.id === change.target.id && change.target.active && !change.next.active) {
    return { code: "conflict", message: "You cannot deactivate your own account; ask another admin" };
  }
  const wasAdmin = change.target.role === "admin" && change.target.active;
  const staysAdmin = change.next.role === "admin" && change.next.active;
  if (wasAdmin && !staysAdmin && change.activeAdmins <= 1) {
    return {
      code: "conflict",
      message: change.next.active
        ? "This is the last active admin: make someone else an admin before changing this role"
        : "This is the last active admin: make someone else an admin before deactivating this account",
    };
  }
  return null;
}

/** Throws the refusal of `agentChangeRefusal`, if any. */
export function authorizeAgentChange(actor: Actor, change: AgentChange): void {
  authorize(canAdminister(actor));
  const refusal = agentChangeRefusal(actor, change);
  if (refusal) throw new AppError(refusal.code, refusal.message);
}
