import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { LabelRow } from "../models/labels.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { checkLabel } from "./createLabel.ts";

/**
 * Renames, recolours or re-describes a label. A rename also renames it on every
 * conversation that carries it, so filters keep working.
 */
export async function updateLabel(
  ctx: AppContext,
  props: { actor: Actor; id: string; name?: string; colour?: string; description?: string; ip?: string },
): Promise<LabelRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const before = (await tx.query<LabelRow>("SELECT * FROM labels WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("Label");
    const l = await checkLabel(tx, { name: props.name, colour: props.colour, description: props.description }, before.id);
    const next = { name: l.name ?? before.name, colour: l.colour ?? before.colour, description: l.description ?? before.description };
    const { rows } = await tx.query<LabelRow>(
      "UPDATE labels SET name = $2, colour = $3, description = $4, updated_at = now() WHERE id = $1 RETURNING *",
      [before.id, next.name, next.colour, next.description],
    );
    let relabelled = 0;
    if (next.name !== before.name) {
      relabelled = (
        await tx.query(
          `UPDATE conversations SET labels = array(SELECT DISTINCT unnest(array_replace(labels, $1, $2))), updated_at = now()
           WHERE $1 = ANY(labels)`,
          [before.name, next.name],
        )
      ).rowCount;
    }
    const changes = auditDiff({ name: before.name, colour: before.colour, description: before.description }, next);
    if (Object.keys(changes).length) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "label.update",
        targetType: "label",
        targetId: before.id,
        data: { changes, ...(relabelled ? { conversationsRelabelled: relabelled } : {}) },
        ip: props.ip,
      });
    }
    return rows[0]!;
  });
}
