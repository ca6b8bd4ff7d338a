/** A survey row (nps_responses, migration 037): asked on resolution, answered once score is set. */
export interface NpsResponseRow {
  conversation_id: string;
  contact_id: string;
  inbox_id: string;
  question_message_id: string | null;
  asked_at: Date;
  score: number | null;
  comment: string | null;
  answered_at: Date | null;
}
