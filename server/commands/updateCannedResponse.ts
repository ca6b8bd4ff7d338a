import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { CannedResponseRow } from "../models/cannedResponses.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { checkShortCode } from "./createCannedResponse.ts";

/** Changes a canned response's short code and/or text. */
export async function updateCannedResponse(
  ctx: AppContext,
  props: { actor: Actor; id: string; shortCode?: string; content?: string; ip?: string },
): Promise<CannedResponseRow> {
  authorize(canAdminister(props.actor));
  const content = props.content?.trim();
  if (content === "") throw new AppError("validation_error", "The response text is empty", [{ path: "content", message: "Required" }]);
  return ctx.db.transaction(async (tx) => {
    const before = (await tx.query<CannedResponseRow>("SELECT * FROM canned_responses WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("Canned response");
    const shortCode = props.shortCode !== undefined ? await checkShortCode(tx, props.shortCode, before.id) : before.short_code;
    const next = { shortCode, content: content ?? before.content };
    const { rows } = await tx.query<CannedResponseRow>(
      "UPDATE canned_responses SET short_code = $2, content = $3, updated_at = now() WHERE id = $1 RETURNING *",
      [before.id, next.shortCode, next.content],
    );
    const changes = auditDiff({ shortCode: before.short_code, content: before.content }, next);
    if (Object.keys(changes).length) {
      await writeAudit(tx, {
        actor: props.actor,
        action: "canned_response.update",
        targetType: "canned_response",
        targetId: before.id,
        data: { changes },
        ip: props.ip,
      });
    }
    return rows[0]!;
  });
}
