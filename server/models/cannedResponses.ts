/** Canned responses (saved replies), as the database returns them. */
export interface CannedResponseRow {
  id: string;
  short_code: string;
  content: string;
  created_at: Date;
  updated_at: Date;
}
