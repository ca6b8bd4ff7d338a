import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { authorizeCaseChange, canApproveExtension } from "../casePolicy.ts";
import { findCase } from "../caseQueries.ts";
import { computeCaseClock } from "../caseClock.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";

/**
 * Extends a case's final-response deadline to its jurisdiction's next limit (China:
 * 15 → 30 → 60 working days from receipt; the UK and US rules allow none). The
 * extension is the approval: only a supervisor (admin) grants it, with the reason,
 * and the timeline records who approved, why, and the old and new dates. The
 * customer must be told (Art. 21): the owner sends them the new date.
 */
export async function extendCaseDeadline(
  ctx: AppContext,
  props: { actor: Actor; id: string; reason: string; requestedById?: string | null; ip?: string },
): Promise<CaseRow> {
  if (!canApproveExtension(props.actor)) throw forbidden("An extension needs a supervisor's approval: ask an admin to approve it");
  const reason = props.reason.trim();
  if (reason.length < 5)
    throw new AppError("validation_error", "Give the reason for the extension", [{ path: "reason", message: "Required" }]);
  const result = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(props.actor, await findCase(tx, props.id, { forUpdate: true }));
    if (c.final_response_at || c.status === "closed")
      throw new AppError("conflict", "The final response has been sent: there is no deadline to extend");
    if (c.extensions >= c.policy.extensions.length)
      throw new AppError(
        "conflict",
        c.policy.extensions.length === 0
          ? `The ${c.jurisdiction.toUpperCase()} rule allows no extension (${c.policy.rule})`
          : `This case has had the ${c.policy.extensions.length} extension(s) its rule allows`,
      );
    const clock = computeCaseClock(c.policy, c.received_at, c.extensions + 1);
    const { rows } = await tx.query<CaseRow>(
      "UPDATE cases SET extensions = extensions + 1, due_at = $2, updated_at = now() WHERE id = $1 RETURNING *",
      [c.id, clock.dueAt],
    );
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: "deadline_extended",
      data: {
        approvedBy: props.actor.type === "agent" ? props.actor.id : null,
        requestedBy: props.requestedById ?? null,
        reason,
        extension: c.extensions + 1,
        limit: c.policy.extensions[c.extensions],
        fromDueAt: c.due_at.toISOString(),
        toDueAt: clock.dueAt.toISOString(),
        dueDate: clock.dueDate,
        ...(clock.provisional ? { provisional: clock.provisional } : {}),
      },
      ip: props.ip,
    });
    return { after: rows[0]!, provisional: clock.provisional };
  });
  if (result.provisional)
    ctx.logger.error(
      { reference: result.after.reference, reason: result.provisional },
      "extended complaint clock counted in calendar days",
    );
  ctx.bus.emit("case.updated", { case: result.after, kind: "deadline_extended" });
  return result.after;
}
