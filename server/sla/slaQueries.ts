import type { Queryable } from "../db/Database.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { ConversationSla } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import { presentSla } from "./presentSla.ts";
import type { ConversationSlaRow } from "./types.ts";

/** The service levels of some conversations, as the console shows them (the list, one conversation), by conversation id. */
export async function slaOfConversations(
  db: Queryable,
  conversations: Array<Pick<ConversationRow, "id" | "status">>,
  now = new Date(),
): Promise<Map<string, Presented<ConversationSla> | null>> {
  const out = new Map<string, Presented<ConversationSla> | null>();
  if (!conversations.length) return out;
  const { rows } = await db.query<ConversationSlaRow & { policy_name: string }>(
    `SELECT s.*, p.name AS policy_name FROM conversation_slas s JOIN sla_policies p ON p.id = s.policy_id
     WHERE s.conversation_id = ANY($1::uuid[])`,
    [conversations.map((c) => c.id)],
  );
  const byId = new Map(rows.map((r) => [r.conversation_id, r]));
  for (const c of conversations) {
    const r = byId.get(c.id);
    out.set(c.id, r ? presentSla(r, r.policy_name, c, now) : null);
  }
  return out;
}
