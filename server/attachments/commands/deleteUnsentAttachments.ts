import { statement } from "../../db/Database.ts";
import type { AppContext } from "../../context.ts";
import { attachmentStore } from "../AttachmentStore.ts";

/** An upload no message has used for this long was abandoned (the customer closed the chat, say). */
export const UNSENT_ATTACHMENT_TTL_MS = 24 * 3600_000;

const DELETE_UNSENT = statement(
  `DELETE FROM attachments
   WHERE id IN (SELECT id FROM attachments
                WHERE message_id IS NULL AND created_at < now() - $1 * interval '1 millisecond'
                ORDER BY created_at LIMIT $2)
   RETURNING storage_key`,
);

/**
 * Deletes files that were uploaded and never sent in a message: a customer's
 * statement or ID scan the bank never received has no business staying on its
 * disks. The row goes first (it is what makes the file reachable), then the bytes.
 * Safe on several processes at once: each row is deleted, and its file removed, by
 * one of them. Returns how many went.
 */
export async function deleteUnsentAttachments(ctx: AppContext, props: { olderThanMs?: number; batch?: number } = {}): Promise<number> {
  const store = attachmentStore(ctx.config);
  const batch = props.batch ?? 500;
  let deleted = 0;
  for (;;) {
    const { rows } = await ctx.db.query<{ storage_key: string }>(DELETE_UNSENT, [props.olderThanMs ?? UNSENT_ATTACHMENT_TTL_MS, batch]);
    for (const r of rows) await store.delete(r.storage_key);
    deleted += rows.length;
    if (rows.length < batch) return deleted;
  }
}
