/** Teams, as the database returns them. */
export interface TeamRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
}
