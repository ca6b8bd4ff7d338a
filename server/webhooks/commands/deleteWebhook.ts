import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { notFound } from "../../errors.ts";
import type { WebhookRow } from "../types.ts";
import { auditUrl } from "../webhookSecrets.ts";

/** Deletes a webhook and, with it, its delivery log. */
export async function deleteWebhook(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<WebhookRow>("DELETE FROM webhooks WHERE id = $1 RETURNING *", [props.id]);
    if (!rows[0]) throw notFound("Webhook");
    await writeAudit(tx, {
      actor: props.actor,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: props.id,
      data: { url: auditUrl(rows[0].url) },
      ip: props.ip,
    });
  });
  ctx.bus.emit("webhooks.changed", {});
}
