import type { Team } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";
import type { TeamWithMembers } from "../models/teams.ts";

export function presentTeam(t: TeamWithMembers): Presented<Team> {
  return { id: t.id, name: t.name, slug: t.slug, memberIds: t.member_ids ?? [], createdAt: t.created_at };
}
