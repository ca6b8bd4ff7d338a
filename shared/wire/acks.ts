/**
 * The answer to every socket request (server/services/realtime/socketHandler.ts):
 * `{ ok: true, ...reply }`, or `{ ok: false, error }` with the error's code as the
 * REST API gives it (server/errors.ts).
 */

export interface AckError {
  code: string;
  message: string;
  /** What the error is about, when the server says (a field, a reason such as "session_revoked"). */
  details?: unknown;
  /** Worth sending again unchanged (the server was busy or away); absent: no. */
  retryable?: boolean;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };
