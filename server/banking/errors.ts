import { AppError, type ErrorCode } from "../errors.ts";

/**
 * Why a call to the core system failed. The first five mean "the core cannot answer
 * now" (the customer hears that our systems are busy and is handed to a person);
 * the others are answers about the request itself.
 */
export type CoreBankingFailure =
  "timeout" | "unreachable" | "server_error" | "circuit_open" | "bad_response" | "not_found" | "conflict" | "rejected";

const UNAVAILABLE: ReadonlySet<CoreBankingFailure> = new Set(["timeout", "unreachable", "server_error", "circuit_open", "bad_response"]);

const CODE: Record<CoreBankingFailure, ErrorCode> = {
  timeout: "unavailable",
  unreachable: "unavailable",
  server_error: "unavailable",
  circuit_open: "unavailable",
  bad_response: "unavailable",
  not_found: "not_found",
  conflict: "conflict",
  // Our request was refused (400, 401 after a fresh token, 403): a configuration or
  // programming error on our side, not something the customer can change.
  rejected: "internal_error",
};

/**
 * An AppError (so the web API maps it to 503/404/409 like any other) that also says
 * what went wrong with the core system. The message never holds customer data,
 * tokens or card numbers: it is logged and may reach an agent's screen.
 */
export class CoreBankingError extends AppError {
  constructor(
    public readonly failure: CoreBankingFailure,
    message: string,
    /** The HTTP status the core answered, when it answered. */
    public readonly upstreamStatus?: number,
  ) {
    super(CODE[failure], message);
    this.name = "CoreBankingError";
  }

  /** The core cannot answer now: nothing the customer asked for can be done until it can. */
  get unavailable(): boolean {
    return UNAVAILABLE.has(this.failure);
  }
}

export function isCoreBankingUnavailable(err: unknown): err is CoreBankingError {
  return err instanceof CoreBankingError && err.unavailable;
}
