/** The file types customers may attach, with what they are called and the extension they are served with. */
export const ATTACHMENT_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
} as const;

export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;

const startsWith = (data: Uint8Array, bytes: number[], at = 0) =>
  data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * The type of a file from its first bytes (its "magic number"), or undefined when
 * it is none of the accepted types. The client's content type and the file name's
 * extension are never trusted: an `.exe` renamed `photo.png` is refused here.
 */
export function detectContentType(data: Uint8Array): AttachmentContentType | undefined {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(data, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(data, ascii("GIF87a")) || startsWith(data, ascii("GIF89a"))) return "image/gif";
  if (startsWith(data, ascii("RIFF")) && startsWith(data, ascii("WEBP"), 8)) return "image/webp";
  // PDF readers accept the header within the first KiB, but a file that does not start with it is not ours to serve.
  if (startsWith(data, ascii("%PDF-"))) return "application/pdf";
  return undefined;
}

/**
 * A file name safe to store and to put in a Content-Disposition header: no path,
 * no control or bidi-override characters, at most 120 characters, and the
 * extension of the detected type (so `invoice.pdf.exe` that is really a PDF becomes
 * `invoice.pdf.exe.pdf`, and nothing is ever saved as an executable).
 */
export function safeFileName(raw: string | undefined, type: AttachmentContentType): string {
  const ext = ATTACHMENT_TYPES[type];
  let base = (raw ?? "")
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"<>:|?*]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const dot = base.lastIndexOf(".");
  const current = dot > 0 ? base.slice(dot + 1) : "";
  const lower = current.toLowerCase();
  const same = lower === ext || (ext === "jpg" && lower === "jpeg");
  if (same) base = base.slice(0, dot);
  base = base.slice(0, 110).trim() || (type === "application/pdf" ? "document" : "image");
  return `${base}.${same ? current : ext}`;
}
