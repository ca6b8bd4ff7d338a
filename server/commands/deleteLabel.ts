import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { LabelRow } from "../models/labels.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/** Removes a label from the vocabulary and from every conversation that carries it. */
export async function deleteLabel(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<LabelRow>("DELETE FROM labels WHERE id = $1 RETURNING *", [props.id]);
    const label = rows[0];
    if (!label) throw notFound("Label");
    const removed = await tx.query(
      "UPDATE conversations SET labels = array_remove(labels, $1), updated_at = now() WHERE $1 = ANY(labels)",
      [label.name],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "label.delete",
      targetType: "label",
      targetId: label.id,
      data: { name: label.name, conversationsUnlabelled: removed.rowCount },
      ip: props.ip,
    });
  });
}
