import type { Queryable } from "../db/Database.ts";
import type { AttachmentRow } from "./types.ts";

export async function findAttachment(db: Queryable, id: string): Promise<AttachmentRow | undefined> {
  const { rows } = await db.query<AttachmentRow>("SELECT * FROM attachments WHERE id = $1", [id]);
  return rows[0];
}
