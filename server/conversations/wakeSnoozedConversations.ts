import type { AppContext } from "../context.ts";
import { SYSTEM } from "../actor.ts";
import { changeConversationStatus } from "../commands/changeConversationStatus.ts";

/** How often workers look for snoozes whose time has come. */
export const SNOOZE_CHECK_INTERVAL_MS = 60_000;
export const SNOOZE_CHECK_JOB = "conversations.wake-snoozed";
/** Conversations woken per run; the next run takes the rest. */
const BATCH = 200;

/**
 * Re-opens snoozed conversations whose snooze has ended, as Chatwoot does: the
 * conversation is back in the agents' open list, with an activity line, and every
 * listener of a status change (SLA clocks resume, automation rules, webhooks) hears it.
 * Each goes through the status command, which re-checks under the row lock, so two
 * workers, or an agent snoozing it again meanwhile, never re-open it wrongly.
 */
export async function wakeSnoozedConversations(ctx: AppContext): Promise<number> {
  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= now() ORDER BY snoozed_until LIMIT ${BATCH}`,
  );
  let woken = 0;
  for (const { id } of rows) {
    const c = await changeConversationStatus(ctx, { actor: SYSTEM, conversationId: id, status: "open", snoozeEnded: true });
    if (c.status === "open") woken++;
  }
  return woken;
}
