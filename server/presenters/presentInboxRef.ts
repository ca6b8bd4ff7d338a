import type { InboxRow } from "../models/inboxes.ts";
import type { InboxRef } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

/**
 * An inbox as every agent may see it (for filters): what it is called and which
 * channel it serves. No settings, secrets or keys.
 */
export function presentInboxRef(i: Pick<InboxRow, "id" | "slug" | "name" | "channel">): Presented<InboxRef> {
  return { id: i.id, slug: i.slug, name: i.name, channel: i.channel };
}
