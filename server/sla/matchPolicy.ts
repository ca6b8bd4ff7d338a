import type { ConversationRow } from "../models/conversations.ts";
import type { SlaPolicyRow } from "./types.ts";

type Matchable = Pick<ConversationRow, "inbox_id" | "team_id" | "priority" | "labels">;

/** Whether every condition a policy sets holds for the conversation (an empty condition holds for all). */
export function policyMatches(p: SlaPolicyRow, c: Matchable): boolean {
  if (p.inbox_ids.length && !p.inbox_ids.includes(c.inbox_id)) return false;
  if (p.team_ids.length && !(c.team_id && p.team_ids.includes(c.team_id))) return false;
  if (p.priorities.length && !p.priorities.includes(c.priority)) return false;
  if (p.labels.length && !p.labels.some((l) => c.labels.includes(l))) return false;
  return true;
}

/**
 * The policy that applies to a conversation: of the active policies whose conditions
 * all hold, the one with the lowest position, then the oldest. One explicit order an
 * admin sets (like firewall rules) rather than a specificity score: "VIP label, 15
 * minutes" above "urgent priority" above "care team" above a catch-all, read top to
 * bottom in Settings, is what applies.
 */
export function matchPolicy(policies: SlaPolicyRow[], c: Matchable): SlaPolicyRow | undefined {
  return policies
    .filter((p) => p.active && policyMatches(p, c))
    .sort((a, b) => a.position - b.position || a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id))[0];
}
