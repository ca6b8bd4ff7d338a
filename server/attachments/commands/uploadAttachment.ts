import crypto from "node:crypto";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import type { AttachmentRow } from "../types.ts";
import { attachmentStore } from "../AttachmentStore.ts";
import { detectContentType, safeFileName } from "../detectContentType.ts";
import { AppError, forbidden } from "../../errors.ts";

export interface UploadAttachmentProps {
  actor: Actor;
  data: Buffer;
  /** The name the customer's file had; cleaned, and given the extension of its real type. */
  name?: string;
  /** Given by the client; an upload re-sent with the same id is stored once. */
  clientId?: string;
}

export const ACCEPTED_TYPES_MESSAGE = "Only images (PNG, JPEG, GIF, WebP) and PDF documents can be attached";

/**
 * Stores a file a customer (or agent) attaches, before any message refers to it.
 * The type is decided from the bytes themselves; the size against
 * MAX_ATTACHMENT_BYTES. The bytes are in the store before the row exists, so a row
 * always has its file; the row is what a message later references by id.
 */
export async function uploadAttachment(
  ctx: AppContext,
  props: UploadAttachmentProps,
): Promise<{ attachment: AttachmentRow; duplicate: boolean }> {
  const { actor, data } = props;
  if (actor.type !== "contact" && actor.type !== "agent") throw forbidden();
  if (!data.length) throw new AppError("validation_error", "The file is empty");
  const max = ctx.config.MAX_ATTACHMENT_BYTES;
  if (data.length > max) throw new AppError("payload_too_large", `A file may be at most ${formatBytes(max)}`);
  const type = detectContentType(data);
  if (!type) throw new AppError("unsupported_media_type", ACCEPTED_TYPES_MESSAGE);

  const contactId = actor.type === "contact" ? actor.id : null;
  const agentId = actor.type === "agent" ? actor.id : null;
  const clientId = props.clientId && contactId ? props.clientId : null;
  if (clientId) {
    const existing = await ctx.db.query<AttachmentRow>("SELECT * FROM attachments WHERE contact_id = $1 AND client_id = $2", [
      contactId,
      clientId,
    ]);
    if (existing.rows[0]) return { attachment: existing.rows[0], duplicate: true };
  }

  const id = crypto.randomUUID();
  const store = attachmentStore(ctx.config);
  await store.put(id, data);
  const { rows } = await ctx.db.query<AttachmentRow>(
    `INSERT INTO attachments (id, contact_id, agent_id, name, content_type, size, sha256, storage_key, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (contact_id, client_id) DO NOTHING RETURNING *`,
    [
      id,
      contactId,
      agentId,
      safeFileName(props.name, type),
      type,
      data.length,
      crypto.createHash("sha256").update(data).digest("hex"),
      id,
      clientId,
    ],
  );
  if (rows[0]) return { attachment: rows[0], duplicate: false };
  // The same upload raced in twice: keep the first, drop these bytes.
  await store.delete(id);
  const existing = await ctx.db.query<AttachmentRow>("SELECT * FROM attachments WHERE contact_id = $1 AND client_id = $2", [
    contactId,
    clientId,
  ]);
  return { attachment: existing.rows[0]!, duplicate: true };
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
