import type { KnowledgeBase } from "../../knowledge/KnowledgeBase.ts";
import { redactText } from "../../privacy/redact.ts";
import type { EvidenceSource } from "../evidence.ts";
import type { AnswerGenerator } from "../generators/AnswerGenerator.ts";
import { say } from "../replies.ts";
import { talkToPerson, type Turn } from "../turn.ts";
import type { BotState, Citation, HistoryTurn, QuickReply } from "../types.ts";
import { showsFactAsked } from "./answerType.ts";
import { resolveArticleLinks } from "./articleLinks.ts";
import { answerDecision } from "./confidence.ts";
import { followUpContext } from "./followUp.ts";
import { rankPassages, type RankedPassage } from "./rankPassages.ts";
import { SUGGEST_MIN_CONFIDENCE, suggestSections, suggestionReplies } from "./suggestSections.ts";
import { numberedList } from "../choices.ts";
import { answerInScript, articleLocaleOf } from "../replyLanguage.ts";

/** What the assistant needs of the knowledge base: search, and the statistics evidence is weighed with. */
export type KnowledgeSource = Pick<KnowledgeBase, "query" | "sectionPaths"> & EvidenceSource;

/** What answering reads: the knowledge base, the generator, and where an article is published. */
export interface AnsweringDeps {
  knowledge: KnowledgeSource;
  generator: AnswerGenerator;
  /** Public URL of an article, for citations. */
  articleUrl?: (path: string) => string;
}

/** An answer from the knowledge base, or the decline said when the evidence is too weak. */
export interface KnowledgeAnswer {
  reply: string;
  citations: Citation[];
  quickReplies: QuickReply[];
  botState: BotState;
  declined: boolean;
  /** Answered only because the caller accepted less confidence (`minConfidence`) than an answer on its own needs. */
  tentative?: boolean;
}

/** After "that didn't answer my question": how many of the next passages are weighed for the second try. */
const RETRY_CANDIDATES = 3;
/** How long offered sections can be tapped (as the bank's tools' choice). */
const SUGGESTIONS_VALID_MS = 10 * 60_000;

/**
 * Answers the message from the knowledge base: ranks passages, weighs the evidence, and
 * generates a grounded reply with its citations, or declines (offering the sections it
 * came closest to). `again` is the answer the customer rejected: its question is asked
 * again, without the passages already given. `picked` is a section the customer tapped
 * after a decline: it answers the question they first asked.
 */
export async function answerFromKnowledge(
  deps: AnsweringDeps,
  turn: Pick<Turn, "text" | "language" | "replyLanguage" | "input" | "step">,
  state: BotState,
  opts: {
    steer?: string[];
    again?: NonNullable<BotState["lastAnswer"]>;
    trustSteer?: boolean;
    picked?: { question: string; context?: string; passageId: string };
    /** Answer at this confidence too (a person takes over after it: handOffIfNeeded). */
    minConfidence?: number;
    /**
     * The message restates a question after rejecting an answer ("不是这个 我是问整存整取…"):
     * read on its own, as the earlier turns are the topic the customer turned down.
     */
    restated?: boolean;
  },
): Promise<KnowledgeAnswer> {
  const { text, language, replyLanguage, input, step } = turn;
  const { again, picked } = opts;
  // A rejected answer's question is asked again, without the passages already given;
  // a tapped section answers the question it was offered for.
  const asked = again ?? picked;
  const question = asked?.question ?? text;
  const context = asked ? asked.context : opts.restated ? undefined : followUpContext(text, customerTurns(input.history));
  // An intent read from a follow-up's few words ("how much does a new one cost?") says little of its topic.
  const steer = context || picked ? undefined : opts.steer;
  const candidates: RankedPassage[] = await step(
    "retrieve",
    async () => (await rankPassages(deps.knowledge, question, { context, steer })).filter((p) => !again?.passageIds.includes(p.passageId)),
    (h) => ({
      ...(context ? { context } : {}),
      ...(steer?.length ? { steer } : {}),
      hits: h.slice(0, 3).map((x) => ({ path: x.path, heading: x.heading, rank: Number(x.rank.toFixed(3)) })),
    }),
  );
  // A second try looks a little further down (the next passages of the answer's own
  // article are often its introduction): the first of the next few it can stand behind.
  let ranked = candidates;
  let decision = answerDecision(ranked, question, language, Boolean(context));
  const tentative = !decision.answer && opts.minConfidence !== undefined && decision.confidence >= opts.minConfidence;
  if (tentative) decision = { ...decision, answer: true };
  // It must show the kind of fact asked for: a rejected fee answer is not followed by a tracking tip.
  const standsBehind = (rs: RankedPassage[], d: typeof decision) => d.answer && showsFactAsked(question, rs[0]!.text);
  for (let i = 1; again && !standsBehind(ranked, decision) && i < RETRY_CANDIDATES; i++) {
    const rest = candidates.slice(i);
    const next = answerDecision(rest, question, language, Boolean(context));
    if (standsBehind(rest, next)) [ranked, decision] = [rest, next];
  }
  // A request the bot cannot carry out for this customer (freeze a card, unverified),
  // recognised surely: the section the content team wrote for it answers, when the
  // search found it, however the request was worded ("lost my wallet with my card in it"),
  // rather than the passage sharing most words (the article's opening: "freeze it first").
  const pointed = picked
    ? ranked.find((p) => p.passageId === picked.passageId)
    : opts.trustSteer && steer?.length
      ? (ranked.find((p) => p.features.steered === 1) ?? (await steeredSection(deps.knowledge, question, context, steer)))
      : undefined;
  if (pointed) {
    // Led by its opening, which says what to do first, not by the sentence that shares most words
    // (a tapped section: by the sentence that answers the question best, as always).
    ranked = [picked ? pointed : { ...pointed, best: 0 }, ...ranked.filter((p) => p !== pointed)];
    decision = { ...decision, answer: true };
  }
  const grounded = step(
    "evidence",
    () => decision.answer,
    (ok) => ({
      confidence: Number(decision.confidence.toFixed(3)),
      coverage: Number((ranked[0]?.features.article ?? 0).toFixed(3)),
      enough: ok,
      ...(pointed ? (picked ? { tappedByCustomer: true } : { pointedByIntent: true }) : {}),
    }),
  );
  const result = grounded
    ? await step(
        "answer",
        () =>
          deps.generator.generate({
            question,
            language,
            passages: ranked.slice(0, 3),
            history: input.history,
            onToken: input.onToken,
          }),
        (r) => ({ generator: deps.generator.kind, declined: r.declined }),
      )
    : ({ declined: true } as const);
  // A section the customer tapped, or the one a sure intent points at, answers whatever its kind of
  // fact: "there's a charge I didn't make" asks for no amount, though "charge" reads as one.
  if (!result.declined && !pointed && !showsFactAsked(question, result.text)) (result as { declined: boolean }).declined = true;
  if (result.declined) {
    // Not after a second try or a tap: the customer has already seen what is closest.
    const offered =
      !asked && decision.confidence >= SUGGEST_MIN_CONFIDENCE ? suggestSections(candidates, articleLocaleOf(replyLanguage)) : [];
    return {
      // Numbered in the text too: SMS, WhatsApp and e-mail show no buttons.
      reply: offered.length
        ? say("declineWithSuggestions", replyLanguage, { choices: numberedList(offered.map((s) => s.label)) })
        : say("decline", replyLanguage),
      citations: [],
      quickReplies: [...suggestionReplies(offered), talkToPerson(replyLanguage)],
      botState: {
        ...state,
        lastAction: "decline",
        lowConfidenceTurns: (state.lowConfidenceTurns ?? 0) + 1,
        ...(offered.length
          ? {
              pendingSuggestions: {
                question,
                ...(context ? { context } : {}),
                options: offered,
                language: replyLanguage,
                expiresAt: Date.now() + SUGGESTIONS_VALID_MS,
              },
            }
          : {}),
      },
      declined: true,
    };
  }
  const url = deps.articleUrl ?? ((p: string) => `/kb/${p.replace(/\.md$/, "")}`);
  return {
    // The articles' links to each other are relative paths: in a reply they point at the articles' pages.
    reply: answerInScript(resolveArticleLinks(result.text, result.used[0]?.path ?? "", url), replyLanguage),
    citations: result.used.map((h) => ({ path: h.path, title: h.title, heading: h.heading, url: url(h.path) })),
    quickReplies: [talkToPerson(replyLanguage)],
    botState: {
      ...state,
      lastAction: "answer",
      lowConfidenceTurns: 0,
      lastAnswer: { question, context, passageIds: [...(again?.passageIds ?? []), ...result.used.map((h) => h.passageId)] },
    },
    declined: false,
    ...(tentative ? { tentative } : {}),
  };
}

/**
 * The section a trusted intent points at, when the search did not propose it: "there's
 * a charge I didn't make" shares its words with the fee pages, not with the section on
 * payments one does not recognise, and was answered with a sign-in line alone.
 */
async function steeredSection(kb: KnowledgeSource, question: string, context: string | undefined, steer: string[]) {
  const within = await rankPassages(kb, question, { context, steer, articles: steer.map((s) => s.split("#")[0]!) });
  return within.find((p) => p.features.steered === 1);
}

/** What the customer said before this message, oldest first, masked (it goes into the trace and the bot's state). */
function customerTurns(history: HistoryTurn[]): string[] {
  return history.filter((t) => t.role === "customer").map((t) => redactText(t.text).text);
}
