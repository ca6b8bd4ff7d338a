/**
 * The Reports view's figures (GET /reports/summary: server/reports/reportSummary.ts;
 * GET /reports/sla: server/sla/slaRoutes.ts). Times are in seconds, shares from 0 to 1.
 */

/** One UTC day of the summary (→ daily; also the rows of the daily CSV). */
export interface ReportDay {
  day: string;
  n: number;
  handed_off: number;
  /** Contained: never handed off, and no answer marked not helpful (👎 or rejected in words). */
  bot_resolved: number;
  frt_median: number | null;
  res_median: number | null;
  csat_average: number | null;
  /** The day's conversations' answers marked helpful and not helpful (👎 or in words: answers_in_words of them). */
  answers_helpful: number;
  answers_not_helpful: number;
  answers_in_words: number;
}

/** The customers' mood on one UTC day (→ sentimentTrend). */
export interface SentimentDay {
  day: string;
  /** Conversations of the day with a sentiment score. */
  scored: number;
  /** Their average score (−1 … 1), two decimals; null when none was scored. */
  average: number | null;
  /** Share of the day's conversations with a sentiment whose mood is negative (0 … 1). */
  negativeShare: number | null;
}

/** Where an unhelpful answer came from: the article and the section under its headings. */
export interface AnswerPassage {
  path: string;
  title: string;
  heading: string;
}

/** A question the assistant declined, or answered with an answer the customer marked not helpful (→ unansweredQuestions). */
export interface UnansweredQuestion {
  /** The latest wording of the question, with card, ID and phone numbers and e-mail addresses masked. */
  text: string;
  count: number;
  lastSeen: string;
  /**
   * `declined`: the assistant had no answer (the knowledge base lacks one);
   * `not_helpful`: it answered and the customer said the answer did not help (👎, or in words).
   */
  reason: "declined" | "not_helpful";
  /** For an unhelpful answer, the passages it was made from: where the content team makes the fix. Empty for a decline. */
  passages: AnswerPassage[];
}

/** The customers' verdicts on the assistant's answers (→ answerFeedback); rejections in words count as not helpful. */
export interface AnswerVerdicts {
  helpful: number;
  notHelpful: number;
  inWords: number;
  /** Helpful among the answers given a verdict; null when none was. */
  helpfulRate: number | null;
}

/** GET /reports/summary: conversations created in the range. */
export interface ReportSummary {
  from: string;
  to: string;
  conversations: number;
  /** Resolved by the assistant alone. */
  containmentRate: number | null;
  handoffRate: number | null;
  handoffsByReason: Record<string, number>;
  /** Handoff → first human reply. */
  firstResponse: { median: number | null; p90: number | null };
  resolution: { median: number | null; p90: number | null };
  csat: { average: number | null; responses: number; distribution: Record<string, number> };
  answerFeedback: AnswerVerdicts;
  daily: ReportDay[];
  sentimentTrend: SentimentDay[];
  unansweredQuestions: UnansweredQuestion[];
}

export interface SlaTargetAttainment {
  met: number;
  missed: number;
  /** Met among the targets met or missed; null when none was. */
  rate: number | null;
}

/** One SLA policy's attainment over the range (GET /reports/sla → items). */
export interface SlaAttainment {
  policyId: string;
  policy: string;
  active: boolean;
  conversations: number;
  firstResponse: SlaTargetAttainment;
  /** `waitsMet`/`waitsMissed` count the customer's waits for a reply; met/missed the conversations. */
  nextResponse: SlaTargetAttainment & { waitsMet: number; waitsMissed: number };
  resolution: SlaTargetAttainment;
}
