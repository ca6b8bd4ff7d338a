import type { Availability } from "./socketEvents.ts";

/**
 * The people and settings the console lists (server/presenters: presentAgent,
 * presentTeam, presentInboxRef, presentLabel, presentCannedResponse). Never a
 * password hash, a TOTP secret or an inbox's keys.
 */

export type Role = "admin" | "agent" | "content";

export interface Agent {
  id: string;
  email: string;
  name: string;
  /** Chosen by the agent or an admin; null: customers see customerName, the first name. */
  displayName: string | null;
  /** What customers see; null when the name would show an e-mail address. */
  customerName: string | null;
  role: Role;
  availability: Availability;
  capacity: number;
  teamIds: string[];
  disabled: boolean;
  createdAt: string;
}

/** For admins: lock-out, two-factor and change times besides. */
export interface AgentForAdmin extends Agent {
  lockedUntil: string | null;
  twoFactorEnabled: boolean;
  updatedAt: string;
}

export interface Team {
  id: string;
  name: string;
  slug: string;
  memberIds: string[];
  createdAt: string;
}

/** For admins (GET /admin/teams): how many conversations each team holds. */
export interface TeamForAdmin extends Team {
  conversations: number;
}

/** An inbox as every agent may see it (for filters). */
export interface InboxRef {
  id: string;
  slug: string;
  name: string;
  channel: string;
}

export interface Label {
  id: string;
  name: string;
  colour: string;
  description: string;
  /** In the admin list: how many conversations carry it. */
  conversations?: number;
  createdAt: string;
  updatedAt: string;
}

export interface CannedResponse {
  id: string;
  shortCode: string;
  content: string;
  createdAt: string;
  updatedAt: string;
}

/** A team as every agent may see it (GET /teams, for names and filters). */
export type TeamRef = Pick<Team, "id" | "name" | "slug">;

/** GET /teams: every team, by name. */
export interface TeamRefList {
  items: TeamRef[];
}

/** GET /inboxes: every inbox, by name. */
export interface InboxRefList {
  items: InboxRef[];
}

/** A reply shortcut as agents use it in the composer (GET /canned-responses). */
export type CannedResponseRef = Pick<CannedResponse, "shortCode" | "content">;

/** POST /admin/agents and /admin/agents/{id}/password: the user, and the password when BankDesk generated it (shown once). */
export interface AgentPasswordSet {
  agent: AgentForAdmin;
  generatedPassword: string | null;
}
