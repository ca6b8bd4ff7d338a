import type { Attachment } from "../../shared/wire/index.ts";
import type { AttachmentRow } from "./types.ts";

/**
 * An attachment as messages carry it (and as the upload returns it). The URL is
 * relative to the API's origin and needs the reader's credentials: the widget's
 * session token or the console's session.
 */
export function presentAttachment(a: AttachmentRow): Attachment {
  return { id: a.id, name: a.name, contentType: a.content_type, size: a.size, url: `/api/v1/attachments/${a.id}` };
}
