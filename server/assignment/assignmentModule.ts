import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { findConversation } from "../conversations/queries.ts";
import { assignWaitingConversations } from "./commands/assignWaitingConversations.ts";
import { releaseAgentConversations } from "./commands/releaseAgentConversations.ts";
import { PRESENCE_EXPIRE_JOB, refreshPresence, sweepPresence, updateAgentPresence } from "../commands/updateAgentPresence.ts";
import { NODE_ID } from "./nodeId.ts";

export const ASSIGN_JOB = "assignment.assign";
export const FILL_JOB = "assignment.fill";
export const RELEASE_JOB = "assignment.release";
/** How often a realtime node refreshes its sockets, and a worker sweeps expired presence. */
const HEARTBEAT_MS = 30_000;

const timers = new WeakMap<AppContext, NodeJS.Timeout[]>();

/**
 * Automatic assignment, reacting to domain events through jobs (so the work runs
 * on a worker, once, whichever node saw the event; the listeners below, subscribed
 * in server/events/listeners.ts):
 *
 * - `conversation.handoff` → work through its team's waiting queue, longest waiting first;
 * - an agent comes online, or frees capacity (a conversation of theirs resolved,
 *   snoozed, returned to the bot or reassigned) → work through the waiting queue;
 * - an agent goes offline (after the grace period) → release or reassign their
 *   open conversations (team setting, or ASSIGNMENT_ON_OFFLINE).
 */
export const assignmentModule: Module = {
  name: "assignment",

  tasks(ctx) {
    // The assignment jobs share a lane: one runs at a time in the whole deployment.
    // They all work through the same waiting queues and agents, so run side by side
    // they only waited on each other's row locks (57 ms a conversation lock at
    // 100 msg/s in eval/bench/load.ts, with the reply jobs' worker slots held
    // meanwhile), and the longest-waiting conversation is served first by construction.
    const lane = { lane: "assignment" };
    // A handed-off conversation joins its team's queue.
    ctx.queue.register(
      ASSIGN_JOB,
      async (data: { conversationId: string }) => {
        const c = await findConversation(ctx.db, data.conversationId);
        if (!c || c.status !== "open" || c.assignee_id) return;
        await assignWaitingConversations(ctx, { teamId: c.team_id });
      },
      lane,
    );
    ctx.queue.register(FILL_JOB, () => assignWaitingConversations(ctx).then(() => {}), lane);
    ctx.queue.register(
      RELEASE_JOB,
      (data: { agentId: string }) => releaseAgentConversations(ctx, { agentId: data.agentId }).then(() => {}),
      lane,
    );
    ctx.queue.register(PRESENCE_EXPIRE_JOB, async (data: { agentId: string }) => {
      await updateAgentPresence(ctx, { kind: "expire", agentId: data.agentId });
    });
  },

  async started(ctx, services) {
    const list: NodeJS.Timeout[] = [];
    const every = (fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err) => ctx.logger.warn({ err }, "presence upkeep failed")), HEARTBEAT_MS);
      t.unref();
      list.push(t);
    };
    if (services.has("realtime")) every(() => refreshPresence(ctx, NODE_ID));
    if (services.has("worker")) every(() => sweepPresence(ctx));
    timers.set(ctx, list);
  },

  async stop(ctx) {
    for (const t of timers.get(ctx) ?? []) clearInterval(t);
    timers.delete(ctx);
  },
};

/** `conversation.handoff`: an unassigned conversation joins its team's waiting queue. */
export async function assignHandedOff(ctx: AppContext, { conversation }: DomainEvents["conversation.handoff"]): Promise<void> {
  if (conversation.assignee_id) return;
  await ctx.queue.enqueue(ASSIGN_JOB, { conversationId: conversation.id });
}

/** `agent.presence_changed`: an agent online takes waiting conversations; one offline has theirs released. */
export async function followPresence(ctx: AppContext, { agentId, availability }: DomainEvents["agent.presence_changed"]): Promise<void> {
  if (availability === "online") await ctx.queue.enqueue(FILL_JOB, { reason: "agent_online" });
  if (availability === "offline") await ctx.queue.enqueue(RELEASE_JOB, { agentId });
}

/** `conversation.status_changed`: an open conversation of an agent closing frees a slot. */
export async function fillFreedCapacity(
  ctx: AppContext,
  { conversation, from }: DomainEvents["conversation.status_changed"],
): Promise<void> {
  if (from === "open" && conversation.status !== "open" && conversation.assignee_id) {
    await ctx.queue.enqueue(FILL_JOB, { reason: "capacity_freed" });
  }
}

/** `conversation.updated`: a manual reassignment or unassignment can free a slot, or put a conversation back in the queue. */
export async function fillAfterReassignment(ctx: AppContext, { changes }: DomainEvents["conversation.updated"]): Promise<void> {
  if (changes.includes("assignee_id") && !changes.includes("auto_assigned")) {
    await ctx.queue.enqueue(FILL_JOB, { reason: "reassigned" });
  }
}
