import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { authorizeCaseChange } from "../casePolicy.ts";
import { findCase } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";
import { CASE_TRANSITIONS, type CaseStatus, type EscalationBody } from "../../../shared/wire/index.ts";

/**
 * Moves a case along its status machine (CASE_TRANSITIONS, shared/wire/cases.ts), with a note on the
 * timeline. Leaving `received` acknowledges the complaint (its first clock stops);
 * escalating names the body the customer went to; reopening clears the closure.
 * The final response is a letter, not a status: see sendCaseLetter.
 */
export async function changeCaseStatus(
  ctx: AppContext,
  props: { actor: Actor; id: string; status: CaseStatus; note?: string; escalatedTo?: EscalationBody; ip?: string },
): Promise<CaseRow> {
  if (props.actor.type !== "agent" && props.actor.type !== "system") throw forbidden();
  if (props.status === "final_response")
    throw new AppError("validation_error", "Send the final-response letter to reach this status", [
      { path: "status", message: "Use the final-response letter" },
    ]);
  if (props.status === "escalated" && !props.escalatedTo)
    throw new AppError("validation_error", "Say where the customer escalated to", [
      { path: "escalatedTo", message: "ombudsman or regulator" },
    ]);
  const result = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(props.actor, await findCase(tx, props.id, { forUpdate: true }));
    if (!CASE_TRANSITIONS[c.status].includes(props.status))
      throw new AppError("conflict", `A case that is ${c.status.replace("_", " ")} cannot become ${props.status.replace("_", " ")}`, [
        { path: "status", message: `From ${c.status}: ${CASE_TRANSITIONS[c.status].join(", ")}` },
      ]);
    const { rows } = await tx.query<CaseRow>(
      `UPDATE cases SET status = $2,
         acknowledged_at = CASE WHEN acknowledged_at IS NULL AND $2 <> 'received' THEN now() ELSE acknowledged_at END,
         closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $2 = 'reopened' THEN NULL ELSE closed_at END,
         escalated_to = CASE WHEN $2 = 'escalated' THEN $3 ELSE escalated_to END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [c.id, props.status, props.escalatedTo ?? null],
    );
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: "status_changed",
      data: {
        from: c.status,
        to: props.status,
        ...(props.note ? { note: props.note } : {}),
        ...(props.escalatedTo ? { escalatedTo: props.escalatedTo } : {}),
      },
      ip: props.ip,
    });
    return { before: c, after: rows[0]! };
  });
  ctx.bus.emit("case.status_changed", { case: result.after, from: result.before.status, to: result.after.status });
  return result.after;
}
