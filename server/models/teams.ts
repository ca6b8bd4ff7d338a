/** Teams, as the database returns them. */
export interface TeamRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
}

/** A team with its members' ids, as the reads that join team_members return it. */
export interface TeamWithMembers extends TeamRow {
  member_ids?: string[] | null;
}
