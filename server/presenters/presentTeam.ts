import type { Team } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

export interface TeamWithMembers {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
  member_ids?: string[] | null;
}

export function presentTeam(t: TeamWithMembers): Presented<Team> {
  return { id: t.id, name: t.name, slug: t.slug, memberIds: t.member_ids ?? [], createdAt: t.created_at };
}
