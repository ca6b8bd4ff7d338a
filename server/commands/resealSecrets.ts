import type { AppContext } from "../context.ts";
import type { ChannelInboxRow } from "../channels/channelInboxes.ts";
import { adapterFor } from "../channels/adapters.ts";
import { sealChannelConfig } from "../channels/channelInboxes.ts";
import { resealIdentitySecret } from "../auth/identity.ts";
import { resealWebhookSecret } from "../webhooks/webhookSecrets.ts";
import { SecretBox } from "../security/secretBox.ts";
import { TOTP_PENDING_SECRET, TOTP_SECRET } from "../twoFactor/twoFactorSecret.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { SYSTEM } from "../actor.ts";
import { TOOL_SECRET } from "../customTools/customToolStore.ts";

export interface ResealReport {
  /** The key new values are sealed with. */
  keyId: string;
  /** Values (re)sealed by this run. */
  resealed: number;
  /** Values left as they were because no configured key opens them (where, never what). */
  unreadable: string[];
}

/**
 * Seals every secret stored in the database with the current SECRET_KEY: plain
 * text left by an earlier version, and (unless `plainOnly`) values sealed with a
 * key now in SECRET_KEY_PREVIOUS. Each row is rewritten under its own lock, so
 * nodes starting at once and a concurrent admin change do not undo each other.
 * Every start runs it with `plainOnly` (an upgrade encrypts what it finds);
 * `bankdesk secrets rotate` runs it whole.
 */
export async function resealSecrets(ctx: AppContext, opts: { plainOnly?: boolean } = {}): Promise<ResealReport> {
  const report: ResealReport = { keyId: ctx.secrets.keyId, resealed: 0, unreadable: [] };
  const due = (value: unknown) =>
    typeof value === "string" && (opts.plainOnly ? !SecretBox.isSealed(value) : ctx.secrets.needsSealing(value));
  const attempt = <T>(where: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch {
      report.unreadable.push(where);
      return undefined;
    }
  };

  // A first read without locks finds the rows to rewrite: at most starts there are none.
  const inboxDue = (inbox: ChannelInboxRow) =>
    due(inbox.identity_secret) || (adapterFor(inbox.channel)?.secretKeys.some((k) => due(inbox.channel_config?.[k])) ?? false);
  const inboxes = (await ctx.db.query<ChannelInboxRow>("SELECT * FROM inboxes ORDER BY id")).rows.filter(inboxDue);
  for (const { id } of inboxes) {
    await ctx.db.transaction(async (tx) => {
      const inbox = (await tx.query<ChannelInboxRow>("SELECT * FROM inboxes WHERE id = $1 FOR UPDATE", [id])).rows[0];
      if (!inbox) return;
      let identitySecret = inbox.identity_secret;
      let config = inbox.channel_config;
      if (due(identitySecret)) {
        const sealed = attempt(`inbox ${inbox.slug}: identity secret`, () => resealIdentitySecret(ctx.secrets, identitySecret));
        if (sealed) {
          identitySecret = sealed;
          report.resealed++;
        }
      }
      const adapter = adapterFor(inbox.channel);
      const secretKeys = adapter?.secretKeys.filter((k) => due(config?.[k])) ?? [];
      if (adapter && config && secretKeys.length > 0) {
        const sealed = attempt(`inbox ${inbox.slug}: channel credentials`, () => sealChannelConfig(ctx, adapter, config!));
        if (sealed) {
          config = sealed;
          report.resealed += secretKeys.length;
        }
      }
      if (identitySecret !== inbox.identity_secret || config !== inbox.channel_config) {
        await tx.query("UPDATE inboxes SET identity_secret = $2, channel_config = $3 WHERE id = $1", [
          id,
          identitySecret,
          config === null ? null : JSON.stringify(config),
        ]);
      }
    });
  }

  const webhooks = (await ctx.db.query<{ id: string; secret: string }>("SELECT id, secret FROM webhooks ORDER BY id")).rows.filter((w) =>
    due(w.secret),
  );
  for (const { id } of webhooks) {
    await ctx.db.transaction(async (tx) => {
      const hook = (await tx.query<{ secret: string }>("SELECT secret FROM webhooks WHERE id = $1 FOR UPDATE", [id])).rows[0];
      if (!hook || !due(hook.secret)) return;
      const sealed = attempt(`webhook ${id}: signing secret`, () => resealWebhookSecret(ctx.secrets, hook.secret));
      if (!sealed) return;
      await tx.query("UPDATE webhooks SET secret = $2 WHERE id = $1", [id, sealed]);
      report.resealed++;
    });
  }

  // Agents' TOTP secrets (two-factor sign-in), each column under its own purpose.
  for (const [column, purpose] of [
    ["totp_secret", TOTP_SECRET],
    ["totp_pending_secret", TOTP_PENDING_SECRET],
  ] as const) {
    const agents = (
      await ctx.db.query<{ id: string; value: string }>(`SELECT id, ${column} AS value FROM agents WHERE ${column} IS NOT NULL ORDER BY id`)
    ).rows.filter((a) => due(a.value));
    for (const { id } of agents) {
      await ctx.db.transaction(async (tx) => {
        const row = (await tx.query<{ value: string | null }>(`SELECT ${column} AS value FROM agents WHERE id = $1 FOR UPDATE`, [id]))
          .rows[0];
        if (!row?.value || !due(row.value)) return;
        const stored = row.value;
        const sealed = attempt(`agent ${id}: ${purpose}`, () => ctx.secrets.reseal(stored, purpose));
        if (!sealed) return;
        await tx.query(`UPDATE agents SET ${column} = $2 WHERE id = $1`, [id, sealed]);
        report.resealed++;
      });
    }
  }

  // The bank's own tools' credentials (customTools/), one per version.
  const toolVersions = (
    await ctx.db.query<{ tool_id: string; version: number; value: string }>(
      "SELECT tool_id, version, auth_secret AS value FROM custom_tool_versions WHERE auth_secret IS NOT NULL ORDER BY tool_id, version",
    )
  ).rows.filter((v) => due(v.value));
  for (const { tool_id: toolId, version } of toolVersions) {
    await ctx.db.transaction(async (tx) => {
      const row = (
        await tx.query<{ value: string | null }>(
          "SELECT auth_secret AS value FROM custom_tool_versions WHERE tool_id = $1 AND version = $2 FOR UPDATE",
          [toolId, version],
        )
      ).rows[0];
      if (!row?.value || !due(row.value)) return;
      const stored = row.value;
      const sealed = attempt(`custom tool ${toolId} v${version}: secret`, () => ctx.secrets.reseal(stored, TOOL_SECRET));
      if (!sealed) return;
      await tx.query("UPDATE custom_tool_versions SET auth_secret = $3 WHERE tool_id = $1 AND version = $2", [toolId, version, sealed]);
      report.resealed++;
    });
  }

  if (report.resealed > 0 || report.unreadable.length > 0) {
    await writeAudit(ctx.db, {
      actor: SYSTEM,
      action: "secrets.resealed",
      data: { keyId: report.keyId, resealed: report.resealed, unreadable: report.unreadable.length, plainOnly: Boolean(opts.plainOnly) },
    });
  }
  return report;
}
