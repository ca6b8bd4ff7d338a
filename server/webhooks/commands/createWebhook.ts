import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { assertDestination } from "../../security/assertDestination.ts";
import type { WebhookEvent, WebhookRow } from "../types.ts";
import { auditUrl, newWebhookSecret, sealWebhookSecret } from "../webhookSecrets.ts";

export interface CreateWebhookProps {
  actor: Actor;
  url: string;
  events: WebhookEvent[];
  description?: string | null;
  active?: boolean;
  ip?: string;
}

/** Registers a URL for events. Returns the row with its signing secret in plain text, which the caller shows once. */
export async function createWebhook(ctx: AppContext, props: CreateWebhookProps): Promise<WebhookRow> {
  authorize(canAdminister(props.actor));
  assertDestination(ctx, "url", props.url);
  const secret = newWebhookSecret();
  const webhook = await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<WebhookRow>(
      `INSERT INTO webhooks (url, events, description, active, secret) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [props.url, [...new Set(props.events)], props.description ?? null, props.active ?? true, sealWebhookSecret(ctx.secrets, secret)],
    );
    const w = { ...rows[0]!, secret };
    await writeAudit(tx, {
      actor: props.actor,
      action: "webhook.create",
      targetType: "webhook",
      targetId: w.id,
      data: { url: auditUrl(w.url), events: w.events },
      ip: props.ip,
    });
    return w;
  });
  ctx.bus.emit("webhooks.changed", {});
  return webhook;
}
