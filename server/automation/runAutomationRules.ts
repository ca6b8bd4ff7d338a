import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { InboxSettings } from "../models/inboxes.ts";
import { postMessage } from "../commands/postMessage.ts";
import { isWithinHours } from "../conversations/workingHours.ts";
import { matchConditions, type RuleFacts } from "./matchConditions.ts";
import { describeAction, performAction } from "./performActions.ts";
import { withinRules } from "./ruleChain.ts";
import type { AutomationJob } from "./automationTriggers.ts";
import type { AutomationRuleRow } from "./types.ts";
import { segmentsOfContact } from "../segments/segments.ts";

/** Longest error kept on a run (a command's message, never a stack). */
const ERROR_CHARS = 500;

/** What the conditions look at: the conversation now, its inbox, its customer, the message. */
async function ruleFacts(
  ctx: AppContext,
  conversationId: string,
  messageId: string | undefined,
  now: Date,
  segmentIds: string[],
): Promise<RuleFacts | undefined> {
  const { rows } = await ctx.db.query<
    ConversationRow & {
      channel: string;
      inbox_settings: InboxSettings;
      contact_attributes: Record<string, unknown>;
      vulnerable: boolean;
      message_text: string | null;
    }
  >(
    `SELECT c.*, i.channel, i.settings AS inbox_settings, ct.attributes AS contact_attributes,
       EXISTS (SELECT 1 FROM contact_vulnerabilities v WHERE v.contact_id = c.contact_id) AS vulnerable,
       COALESCE((SELECT content FROM messages WHERE id = $2 AND conversation_id = c.id),
                (SELECT content FROM messages WHERE conversation_id = c.id AND message_type = 'incoming' AND NOT private
                 ORDER BY seq DESC LIMIT 1)) AS message_text
     FROM conversations c JOIN inboxes i ON i.id = c.inbox_id JOIN contacts ct ON ct.id = c.contact_id
     WHERE c.id = $1`,
    [conversationId, messageId ?? null],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    conversation: r,
    channel: r.channel,
    contactAttributes: r.contact_attributes ?? {},
    vulnerable: r.vulnerable,
    messageText: r.message_text,
    withinHours: isWithinHours(r.inbox_settings ?? {}, now),
    segmentIds: await segmentsOfContact(ctx.db, r.contact_id, segmentIds),
  };
}

export interface RuleRun {
  ruleId: string;
  actionsTaken: string[];
  error: string | null;
}

/**
 * Runs the active rules waiting for one event on its conversation, oldest rule first:
 * each whose conditions all hold (on the conversation as the job found it) is claimed for the event (automation_rule_runs'
 * key: rule and event; a retried job or a second worker finds it claimed and does
 * nothing), performs its actions in order inside the rule chain, records what it did
 * and what failed, and says so in the conversation (an activity message, as
 * Chatwoot's). A failing action is recorded and the next ones still run. Rules
 * already in the job's chain are skipped: a rule's own actions never trigger it
 * again. At most once: actions cut short by a crash are not redone.
 */
export async function runAutomationRules(ctx: AppContext, job: AutomationJob, now = new Date()): Promise<RuleRun[]> {
  const { rows: rules } = await ctx.db.query<AutomationRuleRow>(
    `SELECT * FROM automation_rules WHERE active AND event = $1 AND ($2::uuid IS NULL OR id = $2) ORDER BY created_at, id`,
    [job.event, job.ruleId ?? null],
  );
  const runs: RuleRun[] = [];
  const candidates = rules.filter((r) => !job.chain.includes(r.id));
  if (candidates.length === 0) return runs;
  // Once for all the event's rules: each judges the conversation as the event left it, not as
  // an earlier rule's actions made it (those are events of their own, heard with that rule's chain).
  const named = [...new Set(candidates.flatMap((r) => r.conditions.segmentIds ?? []))];
  const facts = await ruleFacts(ctx, job.conversationId, job.messageId, now, named);
  if (!facts) return runs;
  for (const rule of candidates) {
    if (!matchConditions(rule.conditions, facts).matched) continue;
    const claimed = await ctx.db.query<{ id: string }>(
      `INSERT INTO automation_rule_runs (rule_id, rule_name, conversation_id, event, event_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rule_id, event_key) DO NOTHING RETURNING id`,
      [rule.id, rule.name, job.conversationId, job.event, job.eventKey],
    );
    const runId = claimed.rows[0]?.id;
    if (!runId) continue;
    const taken: string[] = [];
    const errors: string[] = [];
    await withinRules([...job.chain, rule.id], async () => {
      for (const [i, action] of rule.actions.entries()) {
        try {
          await performAction(ctx, rule, job.conversationId, action, `automation:${runId}:${i}`);
          taken.push(await describeAction(ctx, action));
        } catch (err) {
          errors.push(`${action.type}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
    const error = errors.length ? errors.join("; ").slice(0, ERROR_CHARS) : null;
    await ctx.db.query("UPDATE automation_rule_runs SET actions_taken = $2, error = $3 WHERE id = $1", [
      runId,
      JSON.stringify(taken),
      error,
    ]);
    if (errors.length) ctx.logger.warn({ ruleId: rule.id, runId, failed: errors.length }, "an automation rule's actions failed");
    // Why the conversation changed, in its thread: private, since a rule's name and conditions
    // ("VIP", "vulnerable") are the bank's business, not the customer's.
    await withinRules([...job.chain, rule.id], () =>
      postMessage(ctx, {
        conversationId: job.conversationId,
        messageType: "activity",
        senderType: "system",
        private: true,
        content: `Automation rule "${rule.name}" ran: ${taken.length ? taken.join(", ") : "nothing done"}${error ? ` (failed: ${error})` : ""}`,
        clientId: `automation:${runId}`,
        contentAttributes: { kind: "automation", ruleId: rule.id, runId, actions: taken, error },
      }),
    );
    runs.push({ ruleId: rule.id, actionsTaken: taken, error });
  }
  return runs;
}
