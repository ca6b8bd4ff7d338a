import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { CannedResponseRow } from "../models/cannedResponses.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/** Removes a canned response; the audit entry keeps its short code and text. */
export async function deleteCannedResponse(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<CannedResponseRow>("DELETE FROM canned_responses WHERE id = $1 RETURNING *", [props.id]);
    if (!rows[0]) throw notFound("Canned response");
    await writeAudit(tx, {
      actor: props.actor,
      action: "canned_response.delete",
      targetType: "canned_response",
      targetId: rows[0].id,
      data: { shortCode: rows[0].short_code, content: rows[0].content },
      ip: props.ip,
    });
  });
}
