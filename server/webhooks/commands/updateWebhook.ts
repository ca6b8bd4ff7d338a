import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { assertDestination } from "../../security/assertDestination.ts";
import { notFound } from "../../errors.ts";
import type { WebhookEvent, WebhookRow } from "../types.ts";
import { newWebhookSecret, sealWebhookSecret } from "../webhookSecrets.ts";

export interface UpdateWebhookProps {
  actor: Actor;
  id: string;
  url?: string;
  events?: WebhookEvent[];
  description?: string | null;
  active?: boolean;
  /** Issue a new signing secret (returned once); the old one stops signing at once. */
  rotateSecret?: boolean;
  ip?: string;
}

/** Changes a webhook; with `rotateSecret` it gets a new signing secret, which the caller shows once. */
export async function updateWebhook(ctx: AppContext, props: UpdateWebhookProps): Promise<WebhookRow> {
  authorize(canAdminister(props.actor));
  assertDestination(ctx, "url", props.url);
  const secret = props.rotateSecret ? newWebhookSecret() : undefined;
  const webhook = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<WebhookRow>(
      `UPDATE webhooks SET url = COALESCE($2, url), events = COALESCE($3, events),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         active = COALESCE($6, active), secret = COALESCE($7, secret), updated_at = now()
       WHERE id = $1 RETURNING *`,
      [
        props.id,
        props.url ?? null,
        props.events ? [...new Set(props.events)] : null,
        props.description !== undefined,
        props.description ?? null,
        props.active ?? null,
        secret ? sealWebhookSecret(ctx.secrets, secret) : null,
      ],
    );
    if (!rows[0]) throw notFound("Webhook");
    // A new secret comes back in plain text for the caller to show once.
    const w = secret ? { ...rows[0], secret } : rows[0];
    const changed = (["url", "events", "description", "active"] as const).filter((k) => props[k] !== undefined);
    await writeAudit(tx, {
      actor: props.actor,
      action: "webhook.update",
      targetType: "webhook",
      targetId: w.id,
      data: { changed, rotatedSecret: Boolean(props.rotateSecret) },
      ip: props.ip,
    });
    return w;
  });
  ctx.bus.emit("webhooks.changed", {});
  return webhook;
}
