import type { CoreBanking } from "../../banking/CoreBanking.ts";
import { isCoreBankingUnavailable } from "../../banking/errors.ts";
import { answerFromKnowledge, type AnsweringDeps } from "../answering/answerFromKnowledge.ts";
import { handoffReply } from "../handoffReply.ts";
import type { Language } from "../language.ts";
import { say } from "../replies.ts";
import { talkToPerson, tracer, type Step, type Turn } from "../turn.ts";
import type { AssistantReply, BotState, ResumedReply, TraceEntry } from "../types.ts";
import { runTool, TOOL_RISK, type ToolName } from "./accountTools.ts";
import { askStepUp, needsCode } from "./askStepUp.ts";
import { asksToDispute, disputeOffers, wantsDispute, type DisputeCasesPort } from "./disputeTransaction.ts";

/** What an account tool's turn reads besides the knowledge base (which answers an unverified customer). */
export interface AccountToolDeps extends AnsweringDeps {
  banking: CoreBanking;
  /** Where a confirmed dispute opens its complaint case (cases/openDisputeCase.ts). */
  disputes?: DisputeCasesPort;
  /** Where the knowledge base answers an intent (its definition's `answer:`), for ranking. */
  intentAnswers?: (intent: string) => string[];
}

/** The intent whose guide sections answer a dispute request the bot answers from the guide (unverified, or no payment named). */
const DISPUTE_INTENT = "unrecognised_transaction";

/**
 * An intent this sure, asking for a change the bot cannot make for an unverified
 * customer, is answered from the section its `answer:` names. Our intents' own
 * examples score above 0.95 in cross-validation; below 0.9 the classifier's
 * second choices start (eval/intents-clinc.ts).
 */
const TRUSTED_INTENT = 0.9;

/**
 * An account tool the message asks for: only for a verified customer (an unverified one
 * hears what the guide says and that signing in lets the bot act), after a step-up when
 * the inbox asks for one; a change is proposed and waits for the customer's yes.
 */
export async function useAccountTool(
  deps: AccountToolDeps,
  turn: Turn,
  state: BotState,
  tool: ToolName,
  intent: { confidence: number },
  steer: string[],
): Promise<AssistantReply> {
  const { input, text, language, step, reply } = turn;
  if (!input.verifiedCustomerId) {
    step(
      "tool",
      () => null,
      () => ({ tool, refused: "not_verified" }),
    );
    // What the guide says comes first when it answers with confidence (how to freeze a
    // lost card without signing in, how far back statements go, the demand rate), then
    // that signing in lets us look at the account. "What's my balance": only that.
    // A dispute asked for in so many words, or read surely, is answered from the guide's section
    // on payments one does not recognise. An unsure reading is not: "how do I turn off contactless
    // payments on my card" read as a dispute at 0.59 was answered with the steps for reporting a
    // payment, where the search's best passage says how to switch PIN-free payments off.
    const disputing = tool === "dispute_transaction";
    const sure = intent.confidence >= TRUSTED_INTENT || (disputing && asksToDispute(text));
    const attempt = await answerFromKnowledge(deps, turn, state, {
      steer: disputing ? disputeSteer(deps, steer) : steer,
      trustSteer: sure && (disputing || TOOL_RISK[tool] === "high"),
    });
    const answered = attempt.declined ? undefined : attempt;
    // An unsure reading of an account request ("how much of my deposits are protected if the
    // bank goes bust" read as a deposit lookup at 0.56) that the guide cannot answer either is
    // declined as any question is, with the sections that came closest and a colleague offered,
    // rather than asked to sign in for a lookup the customer never wanted.
    if (!answered && !sure) return reply(attempt);
    if (!answered)
      return reply({
        reply: say(disputing ? "signInToDispute" : "signIn", turn.replyLanguage),
        botState: { ...state, lastAction: "tool" },
      });
    // After the guide's steps for a change ("freeze it in the app"), signing in lets the bot make it here;
    // after an answer about an account ("how far back do statements go"), it lets the bot look.
    // Not after an unsure reading of a dispute: the answer came from wherever the search found it.
    if (disputing && !sure) return reply(answered);
    const then = disputing
      ? say("signInToDispute", turn.replyLanguage)
      : TOOL_RISK[tool] === "high"
        ? say("signInToAct", turn.replyLanguage)
        : say("signIn", turn.replyLanguage);
    return reply({ ...answered, reply: `${answered.reply}\n\n${then}` });
  }
  // "There's a charge I didn't make", with no amount and no word of a dispute: the guide's
  // steps first (nothing of the account is read), and the dispute or a freeze offered.
  if (tool === "dispute_transaction" && !wantsDispute(text)) {
    const attempt = await answerFromKnowledge(deps, turn, state, {
      steer: disputeSteer(deps, steer),
      trustSteer: intent.confidence >= TRUSTED_INTENT,
    });
    if (attempt.declined) {
      return reply({
        reply: say("disputeOffer", turn.replyLanguage),
        quickReplies: [...disputeOffers(turn.replyLanguage), talkToPerson(turn.replyLanguage)],
        botState: { ...state, lastAction: "tool" },
      });
    }
    return reply({ ...attempt, quickReplies: [...disputeOffers(turn.replyLanguage), ...attempt.quickReplies] });
  }
  // Nothing of the account is read for a customer who still owes the inbox a code.
  if (await needsCode(input, TOOL_RISK[tool])) return askStepUp(reply, state, tool, TOOL_RISK[tool], text, language, step);
  // A dispute is a case linked to a conversation: the CLI (no conversation, no cases) cannot open one.
  if (tool === "dispute_transaction" && (!deps.disputes || !input.conversationId)) {
    return reply({
      reply: say("disputeHere", turn.replyLanguage),
      quickReplies: [talkToPerson(turn.replyLanguage)],
      botState: { ...state, lastAction: "tool" },
    });
  }
  const out = await runAccountTool(deps.banking, tool, input.verifiedCustomerId, language, text, step);
  if ("unavailable" in out) {
    // The core is down, slow or its breaker open: say so, say what the customer can do
    // meanwhile, and hand off, instead of leaving them waiting on a reply that never comes.
    return await handoffReply(turn, "core_banking_unavailable", state, { lead: say("coreBusy", turn.replyLanguage) });
  }
  return reply({
    reply: out.reply,
    quickReplies: out.quickReplies,
    botState: {
      ...state,
      lastAction: out.pendingConfirmation ? "confirm" : "tool",
      pendingConfirmation: out.pendingConfirmation && { ...out.pendingConfirmation, request: text },
      pendingStepUp: undefined,
      lowConfidenceTurns: 0,
    },
  });
}

/** After the customer's code was verified: the account tool that waited for it runs as it would have then. */
export async function resumeAccountTool(
  banking: CoreBanking,
  input: { verifiedCustomerId: string; botState: BotState },
  p: NonNullable<BotState["pendingStepUp"]>,
  tool: ToolName,
): Promise<ResumedReply> {
  const trace: TraceEntry[] = [];
  const state: BotState = { ...input.botState, pendingStepUp: undefined };
  const out = await runAccountTool(banking, tool, input.verifiedCustomerId, p.language, p.text, tracer(trace));
  if ("unavailable" in out) return { unavailable: true, language: p.language, botState: state, trace };
  return {
    reply: `${say("stepUpDone", p.language)}\n\n${out.reply}`,
    quickReplies: out.quickReplies ?? [],
    language: p.language,
    botState: {
      ...state,
      lastAction: out.pendingConfirmation ? "confirm" : "tool",
      pendingConfirmation: out.pendingConfirmation && { ...out.pendingConfirmation, request: p.text },
    },
    trace,
  };
}

/** One account tool for a verified customer, traced; the core being down is a value. */
function runAccountTool(banking: CoreBanking, tool: ToolName, customerId: string, language: Language, text: string, step: Step) {
  return step(
    "tool",
    () => runTool(banking, tool, customerId, language, text).catch(coreDown),
    (o) =>
      "unavailable" in o ? { tool, unavailable: o.unavailable } : { tool, data: o.data ?? null, confirm: Boolean(o.pendingConfirmation) },
  );
}

/**
 * A tool's call to the core system that failed because the core cannot answer now,
 * as a value the assistant replies to; any other error goes on as it was.
 */
export function coreDown(err: unknown): { unavailable: string } {
  if (isCoreBankingUnavailable(err)) return { unavailable: err.failure };
  throw err;
}

/** Where a dispute's guide answer is found: the unrecognised-payment intent's sections (a dispute word may have routed it). */
function disputeSteer(deps: Pick<AccountToolDeps, "intentAnswers">, steer: string[]): string[] {
  return steer.length ? steer : (deps.intentAnswers?.(DISPUTE_INTENT) ?? []);
}
