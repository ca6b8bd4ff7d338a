import { statement, type Queryable } from "../db/Database.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { isWithinHours, serviceHours } from "./workingHours.ts";
import type { InboxAvailability } from "../../shared/wire/index.ts";

/** Sent as it is (the widget session, GET /widget/availability): the wire contract's shape. */
export type { InboxAvailability };

const AGENTS_ONLINE = statement(
  "SELECT count(*)::int AS n FROM agents WHERE availability = 'online' AND role <> 'content' AND disabled_at IS NULL",
);

/** Whether the inbox's people are there right now (what the widget and the handoff message tell the customer). */
export async function inboxAvailability(db: Queryable, inbox: InboxRow, now = new Date()): Promise<InboxAvailability> {
  const { rows } = await db.query<{ n: number }>(AGENTS_ONLINE);
  const agentsOnline = rows[0]!.n > 0;
  const withinHours = isWithinHours(inbox.settings, now);
  return { online: agentsOnline && withinHours, agentsOnline, withinHours, hours: serviceHours(inbox.settings) };
}
