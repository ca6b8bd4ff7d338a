import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { adapterFor } from "../adapters.ts";
import type { ChannelAdapter } from "../ChannelAdapter.ts";
import { openChannelConfig, sealChannelConfig, type ChannelInboxRow } from "../channelInboxes.ts";
import type { Queryable } from "../../db/Database.ts";
import { isUuid } from "../../conversations/queries.ts";
import { parseInput } from "../../validation.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { assertDestination } from "../../security/assertDestination.ts";

export interface ConfigureChannelProps {
  actor: Actor;
  /** Inbox id or slug. */
  inbox: string;
  /**
   * The provider settings, validated by the channel's adapter. Secret fields left
   * out keep their current value, so an admin can change a number without
   * re-entering the auth token.
   */
  config: Record<string, unknown>;
  ip?: string;
}

/** An inbox by id or slug, locked for the caller's transaction. */
export async function lockChannelInbox(db: Queryable, idOrSlug: string): Promise<ChannelInboxRow | undefined> {
  const { rows } = await db.query<ChannelInboxRow>(`SELECT * FROM inboxes WHERE ${isUuid(idOrSlug) ? "id" : "slug"} = $1 FOR UPDATE`, [
    idOrSlug,
  ]);
  return rows[0];
}

/** Sets an inbox's channel credentials (inboxes.channel_config). Audited by field name, never by value. */
export async function configureChannel(ctx: AppContext, props: ConfigureChannelProps): Promise<ChannelInboxRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const inbox = await lockChannelInbox(tx, props.inbox);
    if (!inbox) throw notFound("Inbox");
    const adapter = adapterFor(inbox.channel);
    if (!adapter) throw new AppError("validation_error", "The website inbox has no channel configuration");
    const current = currentConfig(ctx, adapter, inbox);
    const kept = Object.fromEntries(
      adapter.secretKeys.filter((k) => props.config[k] === undefined && k in current).map((k) => [k, current[k]]),
    );
    const config = parseInput(adapter.configSchema, { ...kept, ...props.config }, "channel configuration") as Record<string, unknown>;
    for (const key of adapter.destinationKeys ?? []) assertDestination(ctx, key, config[key]);
    const { rows } = await tx.query<ChannelInboxRow>("UPDATE inboxes SET channel_config = $2 WHERE id = $1 RETURNING *", [
      inbox.id,
      JSON.stringify(sealChannelConfig(ctx, adapter, config)),
    ]);
    const changed = Object.keys(config).filter((k) => JSON.stringify(config[k]) !== JSON.stringify(current[k]));
    await writeAudit(tx, {
      actor: props.actor,
      action: "inbox.channel_configured",
      targetType: "inbox",
      targetId: inbox.id,
      data: { channel: inbox.channel, changed },
      ip: props.ip,
    });
    return rows[0]!;
  });
}

/**
 * The inbox's settings as they stand, secrets decrypted. Secrets sealed with a key
 * this server no longer has count as unset, so the admin can enter them again.
 */
function currentConfig(ctx: AppContext, adapter: ChannelAdapter<unknown>, inbox: ChannelInboxRow): Record<string, unknown> {
  try {
    return openChannelConfig(ctx, adapter, inbox.channel_config);
  } catch {
    return Object.fromEntries(Object.entries(inbox.channel_config ?? {}).filter(([k]) => !adapter.secretKeys.includes(k)));
  }
}
