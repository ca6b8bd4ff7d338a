import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { destinationProblem } from "./destinations.ts";

/**
 * Refuses, when a form is saved, a URL that the outgoing-request guard would
 * refuse at send time anyway (an address literal or "localhost"), so the admin
 * hears it now rather than from a failed delivery. Names are checked on sending.
 * It takes only the setting it reads, so every form that saves a URL (webhooks,
 * channel providers) can use it from the ground floor.
 */
export function assertDestination(ctx: { config: Pick<Config, "OUTBOUND_ALLOW"> }, field: string, url: unknown): void {
  if (typeof url !== "string") return;
  const problem = destinationProblem(url, ctx.config.OUTBOUND_ALLOW);
  if (problem) throw new AppError("validation_error", `${field} ${problem}`);
}
