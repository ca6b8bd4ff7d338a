import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, forbidden } from "../../errors.ts";
import { authorizeCaseChange, checkOwner } from "../casePolicy.ts";
import { findCase } from "../caseQueries.ts";
import { recordCaseEvent } from "../recordCaseEvent.ts";
import type { CaseRow } from "../types.ts";

/**
 * Makes a complaint specialist the case's owner. Refused for an agent who handled a
 * conversation the complaint is about (casePolicy.checkOwner), and for agents taking
 * a case for themselves from another team; admins assign anyone eligible.
 */
export async function assignCaseOwner(
  ctx: AppContext,
  props: { actor: Actor; id: string; ownerId: string | null; ip?: string },
): Promise<CaseRow> {
  if (props.actor.type !== "agent" && props.actor.type !== "system") throw forbidden();
  const after = await ctx.db.transaction(async (tx) => {
    const c = authorizeCaseChange(props.actor, await findCase(tx, props.id, { forUpdate: true }));
    if (props.ownerId) {
      const { rows } = await tx.query<{ id: string; name: string; role: string; disabled: boolean }>(
        "SELECT id, name, role, disabled_at IS NOT NULL AS disabled FROM agents WHERE id = $1",
        [props.ownerId],
      );
      const owner = rows[0];
      if (!owner) throw new AppError("validation_error", "No such agent", [{ path: "ownerId", message: "Unknown agent" }]);
      checkOwner(c, owner);
    }
    const { rows } = await tx.query<CaseRow>("UPDATE cases SET owner_id = $2, updated_at = now() WHERE id = $1 RETURNING *", [
      c.id,
      props.ownerId,
    ]);
    await recordCaseEvent(tx, {
      actor: props.actor,
      caseRow: c,
      kind: "owner_changed",
      data: { from: c.owner_id, to: props.ownerId },
      ip: props.ip,
    });
    return rows[0]!;
  });
  ctx.bus.emit("case.updated", { case: after, kind: "owner_changed" });
  return after;
}
