import type { Language } from "../assistant/language.ts";
import type { Queryable } from "../db/Database.ts";
import type { ChallengeState } from "./oneTimeCode.ts";
import type { RiskLevel, StepUpChannel } from "../../shared/wire/index.ts";

/** A row of step_up_challenges. */
export interface ChallengeRow {
  id: string;
  conversation_id: string;
  contact_id: string;
  customer_id: string;
  purpose: string;
  risk: RiskLevel;
  language: Language;
  channel: StepUpChannel;
  destination: string;
  code_hash: string;
  status: ChallengeState["status"];
  attempts: number;
  sends: number;
  sent_at: Date;
  expires_at: Date;
  verified_at: Date | null;
  request_key: string | null;
  /** The bank tool's label as the customer read it when asked (null for built-in actions). */
  action_label: string | null;
  created_at: Date;
}

export const asState = (r: ChallengeRow): ChallengeState => ({
  id: r.id,
  status: r.status,
  codeHash: r.code_hash,
  attempts: r.attempts,
  expiresAt: r.expires_at,
});

export async function findChallenge(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(`SELECT * FROM step_up_challenges WHERE id = $1${opts.forUpdate ? " FOR UPDATE" : ""}`, [
    id,
  ]);
  return rows[0];
}

/**
 * The step-up that covers the conversation at `now`: its latest verified challenge for
 * this customer within the inbox's window. A customer who signs in as someone else in
 * the same conversation is not covered by the other's code.
 */
export async function currentStepUp(
  db: Queryable,
  conversationId: string,
  customerId: string,
  validMs: number,
  now = new Date(),
): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    `SELECT * FROM step_up_challenges
     WHERE conversation_id = $1 AND customer_id = $2 AND status = 'verified' AND verified_at > $3
     ORDER BY verified_at DESC LIMIT 1`,
    [conversationId, customerId, new Date(now.getTime() - validMs)],
  );
  return rows[0];
}

/** The conversation's latest challenge (the console's customer panel). */
export async function latestChallenge(db: Queryable, conversationId: string): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    "SELECT * FROM step_up_challenges WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1",
    [conversationId],
  );
  return rows[0];
}

/** The conversation's latest verified challenge, however old (the console says when). */
export async function lastVerified(db: Queryable, conversationId: string): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    "SELECT * FROM step_up_challenges WHERE conversation_id = $1 AND status = 'verified' ORDER BY verified_at DESC LIMIT 1",
    [conversationId],
  );
  return rows[0];
}
