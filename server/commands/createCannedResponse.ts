import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { CannedResponseRow } from "../models/cannedResponses.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/** What agents type after "/" in the reply box. */
export const SHORT_CODE = /^[a-z0-9_-]{1,40}$/;

/** Normalises a short code and checks its shape and that no other response uses it. */
export async function checkShortCode(db: Queryable, shortCode: string, exceptId?: string): Promise<string> {
  const code = shortCode.trim().toLowerCase().replace(/^\//, "");
  if (!SHORT_CODE.test(code))
    throw new AppError("validation_error", "A short code is 1–40 lower-case letters, digits, - or _", [
      { path: "shortCode", message: "Use 1–40 lower-case letters, digits, - or _" },
    ]);
  const taken = await db.query("SELECT 1 FROM canned_responses WHERE short_code = $1 AND id <> $2", [
    code,
    exceptId ?? "00000000-0000-0000-0000-000000000000",
  ]);
  if (taken.rowCount > 0)
    throw new AppError("conflict", `The short code /${code} is already used`, [{ path: "shortCode", message: "Already used" }]);
  return code;
}

/** Adds a canned response agents insert with /shortcode. */
export async function createCannedResponse(
  ctx: AppContext,
  props: { actor: Actor; shortCode: string; content: string; ip?: string },
): Promise<CannedResponseRow> {
  authorize(canAdminister(props.actor));
  const content = props.content.trim();
  if (!content) throw new AppError("validation_error", "The response text is empty", [{ path: "content", message: "Required" }]);
  return ctx.db.transaction(async (tx) => {
    const code = await checkShortCode(tx, props.shortCode);
    const { rows } = await tx.query<CannedResponseRow>("INSERT INTO canned_responses (short_code, content) VALUES ($1, $2) RETURNING *", [
      code,
      content,
    ]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "canned_response.create",
      targetType: "canned_response",
      targetId: rows[0]!.id,
      data: { shortCode: code, content },
      ip: props.ip,
    });
    return rows[0]!;
  });
}
