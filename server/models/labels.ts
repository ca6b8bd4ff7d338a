/** Conversation labels, as the database returns them. */
export interface LabelRow {
  id: string;
  name: string;
  colour: string;
  description: string;
  created_at: Date;
  updated_at: Date;
}
