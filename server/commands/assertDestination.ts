import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { destinationProblem } from "../security/destinations.ts";

/**
 * Refuses, when a form is saved, a URL that the outgoing-request guard would
 * refuse at send time anyway (an address literal or "localhost"), so the admin
 * hears it now rather than from a failed delivery. Names are checked on sending.
 */
export function assertDestination(ctx: AppContext, field: string, url: unknown): void {
  if (typeof url !== "string") return;
  const problem = destinationProblem(url, ctx.config.OUTBOUND_ALLOW);
  if (problem) throw new AppError("validation_error", `${field} ${problem}`);
}
