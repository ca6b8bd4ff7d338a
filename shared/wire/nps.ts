/**
 * Net Promoter Score: the customer's 0–10 answer to "how likely are you to recommend
 * us?" after a resolved conversation, with an optional "why?". Presenters and the
 * report: server/nps/.
 */
export interface NpsAnswer {
  conversationId: string;
  score: number;
  comment: string | null;
  answeredAt: string;
}

/** Promoters answer 9–10, passives 7–8, detractors 0–6; the score is %promoters − %detractors (−100 … 100). */
export interface NpsFigures {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** null when nobody answered. */
  score: number | null;
}

/** GET /reports/nps. */
export interface NpsReport {
  overall: NpsFigures;
  /** Asked in the period and not (yet) answered. */
  pending: number;
  /** By ISO week (Monday, UTC) of the answer. */
  byWeek: Array<NpsFigures & { week: string }>;
  byInbox: Array<NpsFigures & { id: string; name: string }>;
  byTeam: Array<NpsFigures & { id: string | null; name: string | null }>;
  byAgent: Array<NpsFigures & { id: string | null; name: string | null }>;
  /** The latest answers with a "why?", redacted. */
  comments: Array<NpsAnswer & { displayId: number; inbox: string }>;
}
