import type { AppContext } from "../context.ts";
import type { Queryable } from "../db/Database.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { findConversation, findInbox } from "../conversations/queries.ts";
import { matchPolicy } from "./matchPolicy.ts";
import { addWorkingMinutes, scheduleFor } from "./workingTime.ts";
import { pausedMinutes, slaPauses } from "./slaPauses.ts";
import { SLA_NEAR_BREACH_SHARE, type ConversationSlaRow, type SlaPolicyRow } from "./types.ts";

/**
 * The clocks run while people are responsible for the conversation; with the bot or
 * resolved, none runs; snoozed, they stand still (sla/slaPauses.ts).
 */
export const withPeople = (c: Pick<ConversationRow, "status">) => c.status === "open" || c.status === "snoozed";

/** The first public reply by an agent at or after `since` (a reply written before a wait does not end it). */
async function firstAgentReply(db: Queryable, conversationId: string, since: Date): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(created_at) AS at FROM messages
     WHERE conversation_id = $1 AND message_type = 'outgoing' AND sender_type = 'agent' AND private = false AND created_at >= $2`,
    [conversationId, since],
  );
  return rows[0]?.at ?? null;
}

export async function activePolicies(db: Queryable): Promise<SlaPolicyRow[]> {
  return (await db.query<SlaPolicyRow>("SELECT * FROM sla_policies WHERE active")).rows;
}

const earliest = (dates: Array<Date | null | undefined | false>): Date | null =>
  dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);

/**
 * Works out a conversation's service levels from what it is now and stores them: the
 * policy that applies (matchPolicy: by inbox, team, priority, label), the due time of
 * each target in the policy's working time and its 80 % mark, when each was met, and
 * the outcome of each wait for a reply. Called after every change that can move them
 * (creation, status, priority, labels, team, a customer's message, an agent's reply:
 * the rows of events/listeners.ts) and when policies change; idempotent, and the
 * order of two calls does not matter (each reads the conversation afresh under the
 * row's lock), so a late or repeated call is harmless.
 *
 * - The clocks start when the conversation is first with people (handed off, or
 *   opened without the bot); a resolved conversation that comes back to people starts
 *   its targets afresh (a new round: the reports count its latest).
 * - First response: the first public reply by an agent after the start.
 * - Next response: each later wait (a customer message after the agent's reply) until
 *   the next agent reply; met or missed is counted when it ends. A wait ended without
 *   a reply (resolved, back to the bot) counts as missed only if it was already late.
 * - Resolution: status resolved before the due time.
 *
 * Returns the stored row and the policy, or undefined when the conversation has none.
 */
export async function refreshConversationSla(
  ctx: AppContext,
  conversationId: string,
  now = new Date(),
): Promise<{ sla: ConversationSlaRow; policy: SlaPolicyRow | undefined; conversation: ConversationRow } | undefined> {
  const result = await ctx.db.transaction(async (tx) => {
    const lock = () =>
      tx.query<ConversationSlaRow>("SELECT * FROM conversation_slas WHERE conversation_id = $1 FOR UPDATE", [conversationId]);
    let before = (await lock()).rows[0];
    const first = await findConversation(tx, conversationId);
    if (!first || (!before && !withPeople(first))) return undefined;
    const policies = await activePolicies(tx);
    if (!before) {
      if (!matchPolicy(policies, first)) return undefined;
      await tx.query("INSERT INTO conversation_slas (conversation_id, started_at) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
        first.id,
        first.handed_off_at ?? first.waiting_since ?? now,
      ]);
      before = (await lock()).rows[0]!;
    }
    // Read again under the lock: a change committed meanwhile is seen by this call or the next.
    const c = (await findConversation(tx, conversationId))!;
    const policy = matchPolicy(policies, c);
    const people = withPeople(c);
    const s: ConversationSlaRow = { ...before };

    // A new round: the conversation was resolved and is with people again.
    if (s.resolved_at && people) {
      const back = c.handed_off_at && c.handed_off_at > s.resolved_at ? c.handed_off_at : (c.waiting_since ?? now);
      Object.assign(s, {
        started_at: back,
        first_response_at: null,
        first_response_breached_at: null,
        next_response_since: null,
        next_response_due_at: null,
        next_responses_met: 0,
        next_responses_missed: 0,
        next_response_breached_at: null,
        resolved_at: null,
        resolution_breached_at: null,
      });
    }

    const schedule = policy && scheduleFor((await findInbox(tx, c.inbox_id))?.settings ?? {}, policy);
    // Snoozed time does not count: the working time paused after a target started is added to it.
    const pauses = await slaPauses(tx, c.id);
    const due = (from: Date, minutes: number | null | undefined, share = 1) =>
      schedule && minutes ? addWorkingMinutes(from, minutes * share + pausedMinutes(pauses, from, now, schedule), schedule) : null;

    s.policy_id = policy?.id ?? null;
    s.first_response_at ??= await firstAgentReply(tx, c.id, s.started_at);
    s.first_response_due_at = due(s.started_at, policy?.first_response_minutes);
    s.first_response_near_at = due(s.started_at, policy?.first_response_minutes, SLA_NEAR_BREACH_SHARE);
    if (s.first_response_due_at && s.first_response_at && s.first_response_at > s.first_response_due_at) {
      s.first_response_breached_at ??= s.first_response_due_at;
    }

    // The wait being measured ended (the agent replied, or the conversation left people).
    if (s.next_response_since && (!people || c.waiting_since?.getTime() !== s.next_response_since.getTime())) {
      const reply = await firstAgentReply(tx, c.id, s.next_response_since);
      const wasDue = s.next_response_due_at;
      if (wasDue && reply) {
        if (reply <= wasDue) s.next_responses_met++;
        else {
          s.next_responses_missed++;
          s.next_response_breached_at = wasDue;
        }
      } else if (wasDue && wasDue <= now) {
        s.next_responses_missed++;
        s.next_response_breached_at = wasDue;
      }
      s.next_response_since = null;
    }
    // A new wait after the first response.
    if (!s.next_response_since && people && c.waiting_since && s.first_response_at && s.first_response_at <= c.waiting_since) {
      s.next_response_since = c.waiting_since;
    }
    s.next_response_due_at = s.next_response_since ? due(s.next_response_since, policy?.next_response_minutes) : null;
    s.next_response_near_at = s.next_response_since
      ? due(s.next_response_since, policy?.next_response_minutes, SLA_NEAR_BREACH_SHARE)
      : null;

    // Kept while the conversation is with the bot (a resolved one the customer wrote to again): the
    // round ends only when people take it up again (above).
    if (c.status === "resolved") s.resolved_at = c.resolved_at;
    s.resolution_due_at = due(s.started_at, policy?.resolution_minutes);
    s.resolution_near_at = due(s.started_at, policy?.resolution_minutes, SLA_NEAR_BREACH_SHARE);
    if (s.resolution_due_at && s.resolved_at && s.resolved_at > s.resolution_due_at) s.resolution_breached_at ??= s.resolution_due_at;

    // A snoozed conversation's clocks stand still: nothing is due until it is back.
    s.next_due_at =
      people && c.status !== "snoozed"
        ? earliest([!s.first_response_at && s.first_response_due_at, s.next_response_due_at, !s.resolved_at && s.resolution_due_at])
        : null;

    const { rows } = await tx.query<ConversationSlaRow>(
      `UPDATE conversation_slas SET policy_id = $2, started_at = $3, first_response_due_at = $4, first_response_near_at = $5,
         first_response_at = $6, next_response_since = $7, next_response_due_at = $8, next_response_near_at = $9,
         next_responses_met = $10, next_responses_missed = $11, resolution_due_at = $12, resolution_near_at = $13, resolved_at = $14,
         first_response_breached_at = $15, next_response_breached_at = $16, resolution_breached_at = $17, next_due_at = $18,
         updated_at = now()
       WHERE conversation_id = $1 RETURNING *`,
      [
        c.id,
        s.policy_id,
        s.started_at,
        s.first_response_due_at,
        s.first_response_near_at,
        s.first_response_at,
        s.next_response_since,
        s.next_response_due_at,
        s.next_response_near_at,
        s.next_responses_met,
        s.next_responses_missed,
        s.resolution_due_at,
        s.resolution_near_at,
        s.resolved_at,
        s.first_response_breached_at,
        s.next_response_breached_at,
        s.resolution_breached_at,
        s.next_due_at,
      ],
    );
    const after = rows[0]!;
    return { sla: after, policy, conversation: c, changed: standing(before) !== standing(after) };
  });
  if (!result) return undefined;
  const { changed, ...out } = result;
  if (changed) ctx.bus.emit("conversation.sla_updated", out);
  return out;
}

/** What the console shows of a row: a change in it is worth a push. */
function standing(s: ConversationSlaRow): string {
  const { updated_at: _updated, ...rest } = s;
  return JSON.stringify(rest);
}
