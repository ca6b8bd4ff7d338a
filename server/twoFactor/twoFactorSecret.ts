import type { SecretBox } from "../security/secretBox.ts";

/**
 * Agents' TOTP secrets are stored sealed like the other secrets at rest: a database
 * dump alone must not let anyone make an agent's codes. Each column is its own
 * purpose, so a pending secret copied into totp_secret does not open.
 */
export const TOTP_SECRET = "agents.totp_secret";
export const TOTP_PENDING_SECRET = "agents.totp_pending_secret";
type Column = typeof TOTP_SECRET | typeof TOTP_PENDING_SECRET;

export const sealTotpSecret = (secrets: SecretBox, secret: string, column: Column = TOTP_SECRET) => secrets.seal(secret, column);
export const openTotpSecret = (secrets: SecretBox, stored: string, column: Column = TOTP_SECRET) => secrets.open(stored, column);
export const resealTotpSecret = (secrets: SecretBox, stored: string, column: Column = TOTP_SECRET) => secrets.reseal(stored, column);
