import type { AttachmentContentType } from "./detectContentType.ts";

export interface AttachmentRow {
  id: string;
  contact_id: string | null;
  agent_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  name: string;
  content_type: AttachmentContentType;
  size: number;
  sha256: string;
  storage_key: string;
  client_id: string | null;
  created_at: Date;
}
