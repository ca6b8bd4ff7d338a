import type { Config } from "../config.ts";
import type { Queryable } from "../db/Database.ts";

export type OfflinePolicy = "reassign" | "unassign" | "keep";

export interface AssignmentSettings {
  /** Hand conversations of this team to online agents automatically. */
  autoAssign: boolean;
  /** What happens to an agent's open conversations of this team when the agent goes offline. */
  onAgentOffline: OfflinePolicy;
}

/**
 * The assignment settings of a team: its own columns (teams.auto_assign,
 * teams.on_agent_offline) where set, the global configuration otherwise. A
 * conversation without a team follows the global configuration.
 */
export async function assignmentSettings(
  db: Queryable,
  config: Pick<Config, "AUTO_ASSIGN" | "ASSIGNMENT_ON_OFFLINE">,
  teamId: string | null,
): Promise<AssignmentSettings> {
  const team = teamId
    ? (
        await db.query<{ auto_assign: boolean | null; on_agent_offline: OfflinePolicy | null }>(
          "SELECT auto_assign, on_agent_offline FROM teams WHERE id = $1",
          [teamId],
        )
      ).rows[0]
    : undefined;
  return {
    autoAssign: team?.auto_assign ?? config.AUTO_ASSIGN,
    onAgentOffline: team?.on_agent_offline ?? config.ASSIGNMENT_ON_OFFLINE,
  };
}

/** SQL condition (on `conversations c`) for "its team assigns automatically", given the global default as `$n`. */
export function autoAssignCondition(globalParam: string): string {
  return `COALESCE((SELECT t.auto_assign FROM teams t WHERE t.id = c.team_id), ${globalParam}::boolean)`;
}
