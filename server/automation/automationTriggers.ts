import type { AppContext } from "../context.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import type { AutomationEvent } from "../../shared/wire/index.ts";
import { currentRuleChain, MAX_CHAIN } from "./ruleChain.ts";

export const AUTOMATION_JOB = "automation.run";
/** Rules run one at a time across the deployment: two rules (or two events) acting on one conversation do not race. */
export const AUTOMATION_LANE = "automation";
/** How long a process trusts its list of the events active rules wait for (a change made here clears it at once). */
const RULES_TTL_MS = 5_000;

export interface AutomationJob {
  event: AutomationEvent;
  /** What happened, once: a rule runs at most once per key (automation_rule_runs). */
  eventKey: string;
  conversationId: string;
  /** The customer's message the event is about (its words are what `keywords` look at). */
  messageId?: string;
  /** Only this rule (the no-reply check finds conversations per rule). */
  ruleId?: string;
  /** The rules whose actions caused the event (automation/ruleChain.ts): they are not run again. */
  chain: string[];
}

const listened = new WeakMap<AppContext, { at: number; events: Promise<Set<string>> }>();

/** Forgets the cached list of events rules wait for (after an admin changed a rule). */
export function rulesChanged(ctx: AppContext): void {
  listened.delete(ctx);
}

async function anyRuleFor(ctx: AppContext, event: AutomationEvent): Promise<boolean> {
  let entry = listened.get(ctx);
  if (!entry || Date.now() - entry.at > RULES_TTL_MS) {
    const events = ctx.db
      .query<{ event: string }>("SELECT DISTINCT event FROM automation_rules WHERE active")
      .then((r) => new Set(r.rows.map((row) => row.event)));
    const fresh = { at: Date.now(), events };
    entry = fresh;
    listened.set(ctx, fresh);
    events.catch(() => {
      if (listened.get(ctx) === fresh) listened.delete(ctx); // asked again next time
    });
  }
  return (await entry.events).has(event);
}

/**
 * The listeners (rows of events/listeners.ts) that turn domain events into rule runs:
 * each queues a job on a worker when an active rule waits for the event, with the
 * chain of rules that caused it. Nothing for the bot's own traffic, and nothing once
 * the chain is MAX_CHAIN long.
 */
export function automationTriggers(ctx: AppContext) {
  const queue = async (job: Omit<AutomationJob, "chain">) => {
    const chain = currentRuleChain();
    if (chain.length >= MAX_CHAIN) return;
    if (!(await anyRuleFor(ctx, job.event))) return;
    await ctx.queue.enqueue<AutomationJob>(AUTOMATION_JOB, { ...job, chain: [...chain] }, { jobId: `automation:${job.eventKey}` });
  };
  const at = (d: Date) => new Date(d).getTime();
  return {
    created: ({ conversation: c }: DomainEvents["conversation.created"]) =>
      queue({ event: "conversation_created", eventKey: `created:${c.id}`, conversationId: c.id }),
    messageCreated: ({ conversation: c, message: m }: DomainEvents["message.created"]) =>
      m.message_type === "incoming" && !m.private
        ? queue({ event: "customer_message_created", eventKey: `message:${m.id}`, conversationId: c.id, messageId: m.id })
        : undefined,
    statusChanged: ({ conversation: c, to }: DomainEvents["conversation.status_changed"]) =>
      queue({ event: "conversation_status_changed", eventKey: `status:${c.id}:${at(c.updated_at)}:${to}`, conversationId: c.id }),
    updated: ({ conversation: c }: DomainEvents["conversation.updated"]) =>
      queue({ event: "conversation_updated", eventKey: `updated:${c.id}:${at(c.updated_at)}`, conversationId: c.id }),
    sentimentNegative: ({ conversation: c, messageId }: DomainEvents["conversation.sentiment_negative"]) =>
      queue({ event: "sentiment_negative", eventKey: `sentiment:${messageId}`, conversationId: c.id, messageId }),
    slaNearBreach: ({ conversation: c, metric, dueAt }: DomainEvents["conversation.sla_near_breach"]) =>
      queue({ event: "sla_near_breach", eventKey: `sla:${c.id}:${metric}:near_breach:${at(dueAt)}`, conversationId: c.id }),
    slaBreach: ({ conversation: c, metric, dueAt }: DomainEvents["conversation.sla_breach"]) =>
      queue({ event: "sla_breach", eventKey: `sla:${c.id}:${metric}:breach:${at(dueAt)}`, conversationId: c.id }),
  };
}
