import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { auditDiff } from "../../admin/auditDiff.ts";
import { authorizeCaseChange } from "../casePolicy.ts";
import { findCase } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";
import type { CaseRemedy, CaseSeverity } from "../../../shared/wire/index.ts";

export interface CaseChanges {
  summary?: string;
  severity?: CaseSeverity;
  categoryId?: string | null;
  productId?: string | null;
  rootCause?: string | null;
  remedy?: CaseRemedy;
}

/**
 * Classifies a case (category, product, severity, summary) and records its outcome
 * (root cause; remedy: refund, apology, process change). The timeline entry holds the
 * changed fields, before and after.
 */
export async function updateCase(
  ctx: AppContext,
  props: { actor: Actor; id: string; changes: CaseChanges; ip?: string },
): Promise<CaseRow> {
  if (props.actor.type !== "agent" && props.actor.type !== "system") throw forbidden();
  const ch = props.changes;
  const after = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(props.actor, await findCase(tx, props.id, { forUpdate: true }));
    for (const [field, kind, id] of [
      ["categoryId", "category", ch.categoryId],
      ["productId", "product", ch.productId],
    ] as const) {
      if (!id) continue;
      const ok = await tx.query("SELECT 1 FROM case_taxonomy WHERE id = $1 AND kind = $2 AND active", [id, kind]);
      if (ok.rowCount === 0)
        throw new AppError("validation_error", `No active ${kind} with that id`, [{ path: field, message: `Unknown ${kind}` }]);
    }
    const before = {
      summary: c.summary,
      severity: c.severity,
      categoryId: c.category_id,
      productId: c.product_id,
      rootCause: c.root_cause,
      remedy: c.remedy,
    };
    const next = {
      summary: ch.summary?.trim() || c.summary,
      severity: ch.severity ?? c.severity,
      categoryId: ch.categoryId === undefined ? c.category_id : ch.categoryId,
      productId: ch.productId === undefined ? c.product_id : ch.productId,
      rootCause: ch.rootCause === undefined ? c.root_cause : ch.rootCause?.trim() || null,
      remedy: ch.remedy === undefined ? c.remedy : ch.remedy,
    };
    const changes = auditDiff(before as Record<string, unknown>, next);
    if (Object.keys(changes).length === 0) return c;
    const { rows } = await tx.query<CaseRow>(
      `UPDATE cases SET summary = $2, severity = $3, category_id = $4, product_id = $5, root_cause = $6, remedy = $7, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [c.id, next.summary, next.severity, next.categoryId, next.productId, next.rootCause, JSON.stringify(next.remedy)],
    );
    const outcome = "rootCause" in changes || "remedy" in changes;
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: outcome ? "outcome_recorded" : "classified",
      data: { changes },
      ip: props.ip,
    });
    return rows[0]!;
  });
  ctx.bus.emit("case.updated", { case: after, kind: "updated" });
  return after;
}
