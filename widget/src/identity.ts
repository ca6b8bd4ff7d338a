import type { Identity } from "./types.ts";

/** What the page passed to boot or identify, kept to the fields and sizes the server accepts; undefined when none is left. */
export function cleanIdentity(raw: unknown): Identity | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const id: Identity = {};
  if (str(r.userId)) id.userId = str(r.userId);
  if (str(r.identityHash)) id.identityHash = str(r.identityHash);
  if (str(r.name)) id.name = str(r.name);
  if (str(r.email)) id.email = str(r.email);
  if (str(r.emailHash)) id.emailHash = str(r.emailHash);
  if (r.newConversation === true) id.newConversation = true;
  if (r.attributes && typeof r.attributes === "object") {
    const attrs: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(r.attributes as Record<string, unknown>)) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        attrs[k.slice(0, 50)] = typeof v === "string" ? v.slice(0, 500) : v;
    }
    if (Object.keys(attrs).length) id.attributes = attrs;
  }
  return Object.keys(id).length ? id : undefined;
}
