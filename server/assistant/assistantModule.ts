import chokidar, { type FSWatcher } from "chokidar";
import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import type { DomainEvents } from "../events/EventBus.ts";
import { findInbox } from "../conversations/queries.ts";
import { inboxAvailability } from "../conversations/availability.ts";
import { postMessage, type BotUnderstanding } from "../commands/postMessage.ts";
import { handOff } from "../commands/handOff.ts";
import { recordRejectedAnswer } from "../commands/recordRejectedAnswer.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { BOT, SYSTEM } from "../actor.ts";
import { isConnectionError } from "../errors.ts";
import { SIGNED_IN_CONVERSATION_SQL } from "../contacts/signedInConversation.ts";
import { statement } from "../db/Database.ts";
import type { AssistantRuntime } from "./createAssistant.ts";
import { findUnanswered, SWEEP_INTERVAL_MS } from "./findUnanswered.ts";
import type { HistoryTurn } from "./types.ts";
import { say, type ReplyKey } from "./replies.ts";
import { requestStepUp, type StepUpRefusal } from "../commands/requestStepUp.ts";
import { currentStepUp } from "../stepup/challenges.ts";
import { stepUpPolicy } from "../stepup/stepUpPolicy.ts";
import { actionText } from "../stepup/codeMessage.ts";
import { presentStepUp } from "../presenters/presentStepUp.ts";
import { CODE_ONLY_MESSAGE } from "../stepup/oneTimeCode.ts";
import { openCase } from "../cases/commands/openCase.ts";
import { linkCaseConversation } from "../cases/commands/linkCaseConversation.ts";
import { runningCaseAskedAbout } from "../cases/caseQueries.ts";
import { caseText, formatDate } from "../cases/caseText.ts";
import { finalResponseDate } from "../cases/jurisdictions.ts";

export const REPLY_JOB = "assistant.reply";

// The reply job's statements, kept prepared (db/Database.ts statement()): it runs for every customer message.
/**
 * The conversation, whether this message was already answered (a retried job), the
 * message, who the customer is, and the ten public turns before the message (newest
 * first; `tool` marks an account tool's reply).
 */
const REPLY_CONTEXT = statement(
  `SELECT c.*,
     EXISTS (SELECT 1 FROM messages WHERE conversation_id = c.id AND client_id = $3) AS answered,
     (SELECT content FROM messages WHERE id = $2 AND conversation_id = c.id) AS message_content,
     -- Verified on this channel and in this conversation (a merge proves nothing: contacts/signedInConversation.ts).
     ${SIGNED_IN_CONVERSATION_SQL} AS contact_verified,
     ct.external_id AS contact_external_id,
     -- The vulnerability flag (contacts/vulnerability.ts), and the team that serves such customers on this inbox.
     EXISTS (SELECT 1 FROM contact_vulnerabilities v WHERE v.contact_id = c.contact_id) AS contact_vulnerable,
     (SELECT t.id FROM inboxes i JOIN teams t ON t.id::text = i.settings->>'vulnerableCustomersTeamId' WHERE i.id = c.inbox_id)
       AS vulnerable_team_id,
     (SELECT COALESCE(json_agg(json_build_object('sender_type', h.sender_type, 'content', h.content, 'tool', h.tool) ORDER BY h.seq DESC), '[]'::json)
      FROM (SELECT seq, sender_type, content, COALESCE(content_attributes->'trace' @> '[{"step": "tool"}]', false) AS tool
            FROM messages
            WHERE conversation_id = c.id AND private = false AND message_type <> 'activity'
              AND seq < (SELECT seq FROM messages WHERE id = $2)
            ORDER BY seq DESC LIMIT 10) h) AS history
   FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN inboxes i ON i.id = c.inbox_id
   WHERE c.id = $1`,
);
/**
 * What the assistant learnt, on the conversation and on the customer's message, on its own
 * (when a handoff or another write comes before the reply: most replies write it with
 * themselves, PostMessageProps.understanding).
 */
const RECORD_UNDERSTANDING = statement(
  `WITH m AS (UPDATE messages SET content_attributes = content_attributes || $5::jsonb WHERE id = $2)
   UPDATE conversations SET bot_state = $3, sentiment_label = $4, sentiment_score = $6 WHERE id = $1`,
);

function recordUnderstanding(ctx: AppContext, conversationId: string, u: BotUnderstanding) {
  return ctx.db.replayable.query(RECORD_UNDERSTANDING, [
    conversationId,
    u.messageId,
    JSON.stringify(u.botState),
    u.sentiment.label,
    JSON.stringify(u.messageAttributes),
    u.sentiment.score,
  ]);
}
/** Attempts at an answer before a person takes over (the model failing, say). */
const ATTEMPTS = 3;
/**
 * While the database is away (a restart, a failover) the job keeps trying for
 * about 8 s of backoff (250 ms doubling): handing off is no help then, and the
 * customer's question would be left unanswered (tests/faults/postgresRestart).
 */
const ATTEMPTS_WHILE_UNAVAILABLE = 6;

const runtimes = new WeakMap<AppContext, AssistantRuntime>();
const sweeps = new WeakMap<AppContext, NodeJS.Timeout>();
let watcher: FSWatcher | undefined;

export async function assistantFor(ctx: AppContext): Promise<AssistantRuntime> {
  let r = runtimes.get(ctx);
  if (!r) {
    // The pipeline (classifier, sentiment, generators, tools) is loaded where it runs: a
    // worker, or a web process asked for a preview. A web process that serves customers'
    // sockets and the console does not hold it (idle RSS, `npm run bench -- message-path`).
    const { createAssistant } = await import("./createAssistant.ts");
    r = await createAssistant(ctx);
    runtimes.set(ctx, r);
  }
  return r;
}

/**
 * Runs the assistant on customer messages in bot-owned (`pending`) conversations:
 * a listener (answerCustomerMessage) queues a job per message; the job answers,
 * runs a tool, or hands off.
 * The job is idempotent: the reply's client id is derived from the message id, so
 * a retried job stores it once.
 */
export const assistantModule: Module = {
  name: "assistant",

  tasks(ctx) {
    ctx.queue.register(
      REPLY_JOB,
      (data: { conversationId: string; messageId: string }, job) => replyToMessage(ctx, data, job.attemptsMade),
      {
        // The embedded database is in-process: there is no connection to lose.
        attempts: ctx.db.kind === "postgres" ? ATTEMPTS_WHILE_UNAVAILABLE : ATTEMPTS,
        backoffMs: ctx.db.kind === "postgres" ? 250 : 300,
      },
    );
  },

  async setup(ctx, services) {
    if (services.has("worker")) await assistantFor(ctx);
  },

  async started(ctx, services) {
    if (!services.has("worker")) return;
    if (ctx.config.UNANSWERED_SWEEP) {
      // Questions whose reply job was lost: once now (after a crash) and then periodically.
      const run = () => void requeueUnanswered(ctx).catch((err) => ctx.logger.warn({ err }, "unanswered-message sweep failed"));
      run();
      const interval = setInterval(run, SWEEP_INTERVAL_MS);
      interval.unref();
      sweeps.set(ctx, interval);
    }
    if (!ctx.config.KNOWLEDGE_WATCH) return;
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

  async stop(ctx) {
    clearInterval(sweeps.get(ctx));
    sweeps.delete(ctx);
    await watcher?.close();
    watcher = undefined;
  },
};

/**
 * Listens to `message.created` (server/events/listeners.ts): a customer's message in
 * a bot-owned (`pending`) conversation gets the assistant's reply job.
 */
export async function answerCustomerMessage(ctx: AppContext, { conversation, message }: DomainEvents["message.created"]): Promise<void> {
  if (message.message_type !== "incoming" || conversation.status !== "pending") return;
  // A file sent without words (a photo of a receipt) has nothing for the assistant to read; agents see it.
  if (!message.content.trim()) return;
  await queueReply(ctx, conversation.id, message.id);
}

/** Queues the reply again for customer questions whose job was lost (see findUnanswered); returns how many. */
export async function requeueUnanswered(ctx: AppContext, opts: { olderThanMs?: number } = {}): Promise<number> {
  const lost = await findUnanswered(ctx.db, opts);
  for (const m of lost) await queueReply(ctx, m.conversationId, m.messageId);
  if (lost.length) ctx.logger.warn({ count: lost.length }, "re-queued the assistant's reply to unanswered customer messages");
  return lost.length;
}

/** The assistant's reply to one customer message, as a job (its id is the message's: queued once). */
function queueReply(ctx: AppContext, conversationId: string, messageId: string): Promise<void> {
  return ctx.queue.enqueue(REPLY_JOB, { conversationId, messageId }, { jobId: `assistant:${messageId}` });
}

/** The reply job: answers one customer message, runs a tool, or hands off (exported for the test that counts its statements). */
export async function replyToMessage(
  ctx: AppContext,
  data: { conversationId: string; messageId: string },
  attemptsMade: number,
): Promise<void> {
  // One query for what the job needs first (a job runs for every customer message:
  // eval/bench/load.ts counts round trips): the conversation, whether this message
  // was already answered (a retried job), the message, and who the customer is.
  const { rows } = await ctx.db.query<
    ConversationRow & {
      answered: boolean;
      message_content: string | null;
      contact_verified: boolean;
      contact_external_id: string | null;
      contact_vulnerable: boolean;
      vulnerable_team_id: string | null;
      history: HistoryRow[];
    }
  >(REPLY_CONTEXT, [data.conversationId, data.messageId, `bot:${data.messageId}`]);
  const loaded = rows[0];
  if (!loaded || loaded.status !== "pending") return; // a human has it now: the bot stays silent
  if (loaded.answered || loaded.message_content === null) return;
  const {
    answered: _a,
    message_content: text,
    contact_verified: verified,
    contact_external_id: externalId,
    contact_vulnerable: vulnerable,
    vulnerable_team_id: vulnerableTeamId,
    history: recent,
    ...conversation
  } = loaded;
  const clientId = `bot:${data.messageId}`;

  // Stream events only when a generator streams (the LLM): the offline answer arrives
  // whole, and a bare "done" per reply to every agent's console was most of the
  // socket traffic under load (eval/bench/load.ts).
  let streamed = false;
  try {
    const history = historyOf(recent);
    const { assistant } = await assistantFor(ctx);
    const streamId = `s-${data.messageId}`;
    const r = await assistant.respond({
      text,
      verifiedCustomerId: verified && externalId ? externalId : null,
      botState: conversation.bot_state ?? {},
      history,
      vulnerable,
      conversationId: conversation.id,
      availability: async () => {
        const inbox = await findInbox(ctx.db, conversation.inbox_id);
        return inbox ? inboxAvailability(ctx.db, inbox) : { agentsOnline: false, withinHours: false };
      },
      onToken: (delta) => {
        streamed = true;
        ctx.bus.emit("message.streaming", { conversation, streamId, delta, done: false });
      },
      stepUp: async () => {
        const inbox = await findInbox(ctx.db, conversation.inbox_id);
        const policy = stepUpPolicy(inbox?.settings.stepUp);
        const passed = externalId ? await currentStepUp(ctx.db, conversation.id, externalId, policy.validMs) : undefined;
        return { requires: policy.requires, verified: Boolean(passed) };
      },
    });
    // A tool that needs a one-time code first: the code goes out now, and the reply says
    // where (or why it could not, with nothing done). A retried job finds the same challenge.
    let stepUpAttributes: Record<string, unknown> | undefined;
    if (r.stepUp && externalId) {
      const asked = await requestStepUp(ctx, {
        conversation,
        customerId: externalId,
        purpose: r.stepUp.tool,
        action: r.stepUp.action,
        risk: r.stepUp.risk,
        language: r.language,
        requestKey: `message:${data.messageId}`,
      });
      if ("challenge" in asked) {
        r.botState.pendingStepUp = { ...r.botState.pendingStepUp!, challengeId: asked.challenge.id };
        r.reply = say("stepUpSent", r.language, {
          action: r.stepUp.action ?? actionText(r.stepUp.tool, r.language),
          destination: asked.challenge.destination,
        });
        stepUpAttributes = { kind: "step_up", stepUp: presentStepUp(asked.challenge) };
      } else {
        r.botState.pendingStepUp = undefined;
        r.reply = say(STEP_UP_REFUSALS[asked.refused], r.language);
        r.quickReplies = [{ label: say("talkToPerson", r.language), text: say("talkToPerson", r.language) }];
      }
    }

    const understanding: BotUnderstanding = {
      messageId: data.messageId,
      botState: r.botState,
      sentiment: { label: r.sentiment.label, score: r.sentiment.score },
      messageAttributes: { sentiment: r.sentiment, intent: r.intent },
    };
    // When something comes between it and the reply (a handoff, a case, an audited action, the
    // customer's verdict), what the assistant learnt is written first, as they have always found
    // it; otherwise (most replies) by the reply's own statement: one round trip fewer.
    const between = Boolean(r.rejectedAnswer || r.sideEffect || r.handoff.needed || r.handoff.reason === "complaint");
    // Replayable writes (no wait for the WAL flush): lost to a database crash, the
    // reply is written again by the unanswered-question sweep.
    if (between) await recordUnderstanding(ctx, conversation.id, understanding);
    // "That didn't answer my question": the customer's verdict on the previous answer (rare: no cost otherwise).
    if (r.rejectedAnswer) await recordRejectedAnswer(ctx, { conversation, rejectingMessageId: data.messageId });
    if (r.sideEffect) {
      await writeAudit(ctx.db, {
        actor: BOT,
        action: `banking.${r.sideEffect.tool}`,
        targetType: "contact",
        targetId: conversation.contact_id,
        data: { target: r.sideEffect.target, result: r.sideEffect.result, conversationId: conversation.id },
      });
    }
    // A vulnerable customer goes to the staff trained for them, whatever the topic.
    const team =
      vulnerable && vulnerableTeamId
        ? vulnerableTeamId
        : r.handoff.needed && r.handoff.team
          ? (await ctx.db.query<{ id: string }>("SELECT id FROM teams WHERE slug = $1", [r.handoff.team])).rows[0]?.id
          : undefined;
    // A complaint is recorded as a case (of the team it is handed to) before the handoff,
    // and the customer is told its reference and deadline in their language (the
    // knowledge base promises both). A retried job finds the conversation's case and says the same.
    let reply = r.reply;
    // One the customer asks about ("any news on CR-2026-000123?") is not opened again: the
    // conversation joins it, and they hear where it stands.
    const running = r.handoff.reason === "complaint" ? await runningCaseAskedAbout(ctx.db, conversation.contact_id, text) : undefined;
    if (running) {
      await linkCaseConversation(ctx, { actor: SYSTEM, id: running.id, conversationId: conversation.id });
      const due = formatDate(finalResponseDate(running), r.language);
      reply = `${caseText("inProgress", r.language, { reference: running.reference, date: due })}\n\n${r.reply}`;
    } else if (r.handoff.reason === "complaint") {
      const { case: c } = await openCase(ctx, {
        actor: BOT,
        conversationId: conversation.id,
        summary: r.redactedText || text,
        source: "assistant",
        language: r.language,
        teamId: team,
      });
      const due = formatDate(finalResponseDate(c), r.language);
      reply = `${caseText("recorded", r.language, { reference: c.reference, date: due })}\n\n${r.reply}`;
    }
    if (r.handoff.needed) {
      await handOff(ctx, {
        conversationId: conversation.id,
        reason: r.handoff.reason!,
        summary: r.handoff.summary ?? "",
        teamId: team,
        priority: ["sensitive_topic", "negative_sentiment", "complaint"].includes(r.handoff.reason!) ? "high" : undefined,
      });
    }
    const posted = await postMessage(ctx, {
      conversationId: conversation.id,
      messageType: "outgoing",
      senderType: "bot",
      content: reply,
      // An answer the sweep would give again if a crash lost it; a handoff's message is
      // not (the conversation is the agents' now, and the sweep looks at the bot's).
      replayable: !r.handoff.needed,
      ...(between ? {} : { understanding }),
      clientId,
      contentAttributes: {
        replyTo: data.messageId,
        // Another try answers the question before "that didn't answer my question": reports show that one.
        ...(r.answeredQuestion ? { question: r.answeredQuestion } : {}),
        streamId,
        citations: r.citations,
        quickReplies: r.quickReplies,
        ...(r.handoff.needed ? { kind: "handoff", reason: r.handoff.reason } : {}),
        ...stepUpAttributes,
        declined: r.trace.some((t) => t.step === "answer" && t.declined) || r.trace.some((t) => t.step === "evidence" && !t.enough),
        trace: r.trace,
      },
    });
    if (streamed) ctx.bus.emit("message.streaming", { conversation, streamId, delta: "", done: true });
    // The customer's mood turned (automation rules wait for it), announced once the reply and any
    // handoff are done, so a rule acting on it finds the conversation as the assistant left it.
    // The conversation as the reply's statement left it (no read of it again: a round trip on
    // one reply in eight, eval/bench/workerReplies.ts).
    if (r.sentiment.label === "negative" && conversation.sentiment_label !== "negative") {
      ctx.bus.emit("conversation.sentiment_negative", { conversation: posted.conversation, messageId: data.messageId });
    }
  } catch (err) {
    // Whatever was streamed is void: the retry streams its answer afresh (same stream
    // id), and without a reset the customer would see the two run together.
    if (streamed) ctx.bus.emit("message.streaming", { conversation, streamId: `s-${data.messageId}`, delta: "", done: true, reset: true });
    if (attemptsMade + 1 < (ctx.db.kind === "postgres" && isConnectionError(err) ? ATTEMPTS_WHILE_UNAVAILABLE : ATTEMPTS)) throw err;
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

/** What the customer is told when a code could not be sent (nothing was done). */
const STEP_UP_REFUSALS: Record<StepUpRefusal, ReplyKey> = {
  no_channel: "stepUpNotSent",
  not_sent: "stepUpNotSent",
  core_unavailable: "stepUpNotSent",
  no_destination: "stepUpNoDestination",
  too_many: "stepUpTooMany",
};

export const ACCOUNT_DETAILS_SHOWN = "[account details were shown to the verified customer]";
export const ONE_TIME_CODE_TYPED = "[a one-time code]";

interface HistoryRow {
  sender_type: string;
  content: string;
  tool: boolean;
}

/** The turns before the message, oldest first, as the assistant reads them. */
function historyOf(newestFirst: HistoryRow[]): HistoryTurn[] {
  // The history goes to the model: an account tool's reply (balances, transactions)
  // is the customer's data and stays out of it, as a marker of what happened.
  return [...newestFirst].reverse().map((r) => ({
    role: r.sender_type === "contact" ? "customer" : r.sender_type === "bot" ? "assistant" : "agent",
    // A one-time code the customer typed into the chat (instead of the code box) is not for a model either.
    text: r.tool
      ? ACCOUNT_DETAILS_SHOWN
      : r.sender_type === "contact" && CODE_ONLY_MESSAGE.test(r.content)
        ? ONE_TIME_CODE_TYPED
        : r.content,
  }));
}
