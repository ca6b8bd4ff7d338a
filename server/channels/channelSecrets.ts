import type { SealedSecrets } from "../commands/resealSecrets.ts";
import { adapterFor } from "./adapters.ts";
import { sealChannelConfig, type ChannelInboxRow } from "./channelInboxes.ts";

/**
 * The channels' credentials in each inbox's settings, re-sealed under the current key (`bankdesk secrets rotate`, and
 * plain text from an earlier version at start): each inbox rewritten under its own lock.
 */
export const channelConfigSecrets: SealedSecrets = {
  async reseal(ctx, run) {
    const due = (inbox: ChannelInboxRow) => adapterFor(inbox.channel)?.secretKeys.some((k) => run.due(inbox.channel_config?.[k])) ?? false;
    const inboxes = (await ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes ORDER BY id")).rows.filter(due);
    for (const { id } of inboxes) {
      await ctx.db.transaction(async (tx) => {
        const inbox = (await tx.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE id = $1 FOR UPDATE", [id])).rows[0];
        const adapter = inbox && adapterFor(inbox.channel);
        const config = inbox?.channel_config;
        const secretKeys = adapter?.secretKeys.filter((k) => run.due(config?.[k])) ?? [];
        if (!inbox || !adapter || !config || secretKeys.length === 0) return;
        const sealed = run.attempt(`inbox ${inbox.slug}: channel credentials`, () => sealChannelConfig(ctx, adapter, config));
        if (!sealed) return;
        await tx.query("UPDATE inboxes SET channel_config = $2 WHERE id = $1", [id, JSON.stringify(sealed)]);
        run.resealed(secretKeys.length);
      });
    }
  },
};
