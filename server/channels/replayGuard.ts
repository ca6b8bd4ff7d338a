import type { Queryable } from "../db/Database.ts";

/**
 * Replay protection for webhooks whose signature does not cover the body (WeChat's
 * covers token, timestamp and nonce): a request is accepted only with a timestamp
 * within MAX_AGE_SECONDS of now, and a nonce not used before with that inbox. Found
 * by a hostile tester: one logged signed URL let anyone post as any customer.
 */
export const MAX_AGE_SECONDS = 300;

/** Whether a provider's unix-seconds timestamp is within the window (clocks may differ a little either way). */
export function freshTimestamp(timestamp: string | undefined, now = Date.now()): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now / 1000 - Number(timestamp)) <= MAX_AGE_SECONDS;
}

export async function nonceUsed(db: Queryable, inboxId: string, nonce: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM webhook_nonces WHERE inbox_id = $1 AND nonce = $2", [inboxId, nonce]);
  return rows.length > 0;
}

/**
 * Records a nonce once its request was handled (not before: a provider's retry of a
 * request that failed must still get in), and forgets nonces older than the window.
 */
export async function rememberNonce(db: Queryable, inboxId: string, nonce: string): Promise<void> {
  await db.query(
    `WITH gone AS (DELETE FROM webhook_nonces WHERE seen_at < now() - make_interval(secs => $3))
     INSERT INTO webhook_nonces (inbox_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [inboxId, nonce, MAX_AGE_SECONDS * 2],
  );
}
