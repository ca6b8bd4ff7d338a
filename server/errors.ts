/**
 * Typed errors with a stable code. They are mapped once to HTTP responses
 * (services/web/errorHandler.ts) and socket acknowledgements (services/realtime).
 */
export type ErrorCode =
  | "validation_error"
  | "unauthenticated"
  | "forbidden"
  /** Two-factor sign-in is required of all staff and this agent has not set it up yet. */
  | "two_factor_enrolment_required"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  unauthenticated: 401,
  forbidden: 403,
  two_factor_enrolment_required: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return STATUS[this.code];
  }
  /** True for failures a client may retry as they are (the database was briefly away...). */
  get retryable(): boolean {
    return this.code === "unavailable" || this.code === "rate_limited";
  }
  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        ...(this.retryable ? { retryable: true } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You are not allowed to do that") => new AppError("forbidden", message);

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "08003"]);

/** A lost or refused connection (PostgreSQL restarting, failing over): worth retrying shortly. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && CONNECTION_ERRORS.has(e.code)) return true;
  // node-postgres reports a socket closed under it, or no connection in time, without a code.
  return /Connection terminated|timeout exceeded when trying to connect/.test(e?.message ?? "");
}

/** Turns anything thrown into an AppError, keeping the original as `cause` for the log. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // A connection lost or not had in time (the pool's connect timeout under load included):
  // nothing was written, or a retry is idempotent (messages by client id), so the client
  // retries rather than giving up on a 500.
  if (isConnectionError(err)) {
    return Object.assign(new AppError("unavailable", "The service is briefly unavailable, please retry"), { cause: err });
  }
  return Object.assign(new AppError("internal_error", "Something went wrong on our side"), { cause: err });
}
