import type { InboxRow } from "../conversations/types.ts";

/**
 * An inbox as every agent may see it (for filters): what it is called and which
 * channel it serves. No settings, secrets or keys.
 */
export function presentInboxRef(i: Pick<InboxRow, "id" | "slug" | "name" | "channel">) {
  return { id: i.id, slug: i.slug, name: i.name, channel: i.channel };
}
