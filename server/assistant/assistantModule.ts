import chokidar, { type FSWatcher } from "chokidar";
import type { Module } from "../modules.ts";
import type { AppContext } from "../context.ts";
import type { ContactRow, MessageRow } from "../conversations/types.ts";
import { findConversation, findInbox } from "../conversations/queries.ts";
import { inboxAvailability } from "../conversations/availability.ts";
import { postMessage } from "../commands/postMessage.ts";
import { handOff } from "../commands/handOff.ts";
import { writeAudit } from "../commands/writeAudit.ts";
import { BOT } from "../context.ts";
import { createAssistant, type AssistantRuntime } from "./createAssistant.ts";
import type { HistoryTurn } from "./types.ts";

export const REPLY_JOB = "assistant.reply";
const ATTEMPTS = 3;

const runtimes = new WeakMap<AppContext, AssistantRuntime>();
let watcher: FSWatcher | undefined;

export async function assistantFor(ctx: AppContext): Promise<AssistantRuntime> {
  let r = runtimes.get(ctx);
  if (!r) {
    r = await createAssistant(ctx);
    runtimes.set(ctx, r);
  }
  return r;
}

/**
 * Runs the assistant on customer messages in bot-owned (`pending`) conversations:
 * a processor queues a job per message; the job answers, runs a tool, or hands off.
 * The job is idempotent: the reply's client id is derived from the message id, so
 * a retried job stores it once.
 */
export const assistantModule: Module = {
  name: "assistant",

  processors(ctx) {
    ctx.bus.on("message.created", async ({ conversation, message }) => {
      if (message.message_type !== "incoming" || conversation.status !== "pending") return;
      // A file sent without words (a photo of a receipt) has nothing for the assistant to read; agents see it.
      if (!message.content.trim()) return;
      await ctx.queue.enqueue(REPLY_JOB, { conversationId: conversation.id, messageId: message.id }, { jobId: `assistant:${message.id}` });
    });
  },

  tasks(ctx) {
    ctx.queue.register(
      REPLY_JOB,
      (data: { conversationId: string; messageId: string }, job) => replyToMessage(ctx, data, job.attemptsMade),
      {
        attempts: ATTEMPTS,
        backoffMs: 300,
      },
    );
  },

  async setup(ctx, services) {
    if (services.has("worker")) await assistantFor(ctx);
  },

  async started(ctx, services) {
    if (!services.has("worker") || !ctx.config.KNOWLEDGE_WATCH) return;
    let timer: NodeJS.Timeout | undefined;
    watcher = chokidar.watch(ctx.config.INTENTS_DIR, { ignoreInitial: true });
    watcher.on("all", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          const r = await assistantFor(ctx);
          await r.retrain();
          ctx.logger.info({ intents: r.intentCount() }, "intents retrained");
        } catch (err) {
          ctx.logger.error({ err }, "intent retraining failed");
        }
      }, 400);
    });
  },

  async stop() {
    await watcher?.close();
    watcher = undefined;
  },
};

async function replyToMessage(ctx: AppContext, data: { conversationId: string; messageId: string }, attemptsMade: number): Promise<void> {
  const conversation = await findConversation(ctx.db, data.conversationId);
  if (!conversation || conversation.status !== "pending") return; // a human has it now: the bot stays silent
  const clientId = `bot:${data.messageId}`;
  const done = await ctx.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND client_id = $2", [conversation.id, clientId]);
  if (done.rowCount > 0) return;

  // Stream events only when a generator streams (the LLM): the offline answer arrives
  // whole, and a bare "done" per reply to every agent's console was most of the
  // socket traffic under load (eval/bench/load.ts).
  let streamed = false;
  try {
    const [{ rows: msgRows }, { rows: contactRows }, inbox, history] = await Promise.all([
      ctx.db.query<MessageRow>("SELECT * FROM messages WHERE id = $1", [data.messageId]),
      ctx.db.query<ContactRow>("SELECT * FROM contacts WHERE id = $1", [conversation.contact_id]),
      findInbox(ctx.db, conversation.inbox_id),
      loadHistory(ctx, conversation.id, data.messageId),
    ]);
    const message = msgRows[0];
    const contact = contactRows[0];
    if (!message || !contact || !inbox) return;
    const { assistant } = await assistantFor(ctx);
    const streamId = `s-${message.id}`;
    const r = await assistant.respond({
      text: message.content,
      verifiedCustomerId: contact.verified && contact.external_id ? contact.external_id : null,
      botState: conversation.bot_state ?? {},
      history,
      availability: await inboxAvailability(ctx.db, inbox),
      onToken: (delta) => {
        streamed = true;
        ctx.bus.emit("message.streaming", { conversation, streamId, delta, done: false });
      },
    });

    await ctx.db.query(`UPDATE conversations SET bot_state = $2, sentiment_label = $3, sentiment_score = $4 WHERE id = $1`, [
      conversation.id,
      JSON.stringify(r.botState),
      r.sentiment.label,
      r.sentiment.score,
    ]);
    await ctx.db.query("UPDATE messages SET content_attributes = content_attributes || $2::jsonb WHERE id = $1", [
      message.id,
      JSON.stringify({ sentiment: r.sentiment, intent: r.intent }),
    ]);
    if (r.sideEffect) {
      await writeAudit(ctx.db, {
        actor: BOT,
        action: `banking.${r.sideEffect.tool}`,
        targetType: "contact",
        targetId: contact.id,
        data: { target: r.sideEffect.target, result: r.sideEffect.result, conversationId: conversation.id },
      });
    }
    if (r.handoff.needed) {
      const team = r.handoff.team
        ? (await ctx.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = $1", [r.handoff.team])).rows[0]?.id
        : undefined;
      await handOff(ctx, {
        conversationId: conversation.id,
        reason: r.handoff.reason!,
        summary: r.handoff.summary ?? "",
        teamId: team,
        priority: r.handoff.reason === "sensitive_topic" || r.handoff.reason === "negative_sentiment" ? "high" : undefined,
      });
    }
    await postMessage(ctx, {
      conversationId: conversation.id,
      messageType: "outgoing",
      senderType: "bot",
      content: r.reply,
      clientId,
      contentAttributes: {
        replyTo: message.id,
        streamId,
        citations: r.citations,
        quickReplies: r.quickReplies,
        ...(r.handoff.needed ? { kind: "handoff", reason: r.handoff.reason } : {}),
        declined: r.trace.some((t) => t.step === "answer" && t.declined) || r.trace.some((t) => t.step === "evidence" && !t.enough),
        trace: r.trace,
      },
    });
    if (streamed) ctx.bus.emit("message.streaming", { conversation, streamId, delta: "", done: true });
  } catch (err) {
    // Whatever was streamed is void: the retry streams its answer afresh (same stream
    // id), and without a reset the customer would see the two run together.
    if (streamed) ctx.bus.emit("message.streaming", { conversation, streamId: `s-${data.messageId}`, delta: "", done: true, reset: true });
    if (attemptsMade + 1 < ATTEMPTS) throw err;
    // Out of attempts: a person takes over rather than leaving the customer unanswered.
    ctx.logger.error({ err, conversationId: conversation.id }, "assistant failed; handing off");
    await handOff(ctx, {
      conversationId: conversation.id,
      reason: "error",
      summary: "Handed off: the assistant failed on this message (error). Please answer the customer.",
    });
    await postMessage(ctx, {
      conversationId: conversation.id,
      messageType: "outgoing",
      senderType: "bot",
      content: "Sorry, something went wrong on my side. I've asked a colleague to help you. 抱歉，系统出现问题，已为您转接人工客服。",
      clientId,
      contentAttributes: { replyTo: data.messageId, kind: "handoff", reason: "error" },
    });
  }
}

export const ACCOUNT_DETAILS_SHOWN = "[account details were shown to the verified customer]";

async function loadHistory(ctx: AppContext, conversationId: string, beforeMessageId: string): Promise<HistoryTurn[]> {
  const { rows } = await ctx.db.query<{ sender_type: string; content: string; tool: boolean }>(
    `SELECT sender_type, content, COALESCE(content_attributes->'trace' @> '[{"step": "tool"}]', false) AS tool FROM messages
     WHERE conversation_id = $1 AND private = false AND message_type <> 'activity'
       AND seq < (SELECT seq FROM messages WHERE id = $2)
     ORDER BY seq DESC LIMIT 10`,
    [conversationId, beforeMessageId],
  );
  // The history goes to the model: an account tool's reply (balances, transactions)
  // is the customer's data and stays out of it, as a marker of what happened.
  return rows.reverse().map((r) => ({
    role: r.sender_type === "contact" ? "customer" : r.sender_type === "bot" ? "assistant" : "agent",
    text: r.tool ? ACCOUNT_DETAILS_SHOWN : r.content,
  }));
}
