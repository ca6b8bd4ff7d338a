import type { ConversationRow } from "../../models/conversations.ts";

/**
 * Socket.IO rooms. Agents only join rooms for what policies let them see, so a
 * broadcast never reaches an agent who may not read the conversation.
 */
export const rooms = {
  contact: (contactId: string) => `contact:${contactId}`,
  admins: "agents:admins",
  unteamed: "agents:unteamed",
  team: (teamId: string) => `team:${teamId}`,
  agent: (agentId: string) => `agent:${agentId}`,
  /** One console session's sockets (by the hash of its cookie token), to close them on sign-out. */
  agentSession: (tokenHash: string) => `agent-session:${tokenHash}`,
  /** Every room of agents allowed to see this conversation (mirrors canReadConversation). */
  staffFor(c: Pick<ConversationRow, "team_id" | "assignee_id">): string[] {
    const r = [rooms.admins, c.team_id ? rooms.team(c.team_id) : rooms.unteamed];
    if (c.assignee_id) r.push(rooms.agent(c.assignee_id));
    return r;
  },
};
