import crypto from "node:crypto";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { InboxRow, InboxSettings } from "../models/inboxes.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { storedInboxSettingsSchema } from "../admin/inboxSettingsSchema.ts";
import { parseInput } from "../validation.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { sealIdentitySecret } from "../auth/identity.ts";

export interface CreateInboxProps {
  actor: Actor;
  slug: string;
  name: string;
  channel: InboxRow["channel"];
  settings?: InboxSettings;
  defaultTeamId?: string | null;
  /** For HMAC identity verification; generated when omitted. */
  identitySecret?: string;
  ip?: string;
}

/** A new random identity secret (hex, 256 bits). */
export function newIdentitySecret(): string {
  return crypto.randomBytes(32).toString("hex");
}

/**
 * Creates an inbox: one channel entry point (the website widget, an e-mail address...).
 * The row returned carries the identity secret in plain text, for the caller to
 * show once; the database keeps it sealed and the audit entry does not have it.
 */
export async function createInbox(ctx: AppContext, props: CreateInboxProps): Promise<InboxRow> {
  authorize(canAdminister(props.actor));
  const settings = parseInput(storedInboxSettingsSchema, props.settings ?? {}, "settings");
  const identitySecret = props.identitySecret ?? newIdentitySecret();
  return ctx.db.transaction(async (tx) => {
    const taken = await tx.query("SELECT 1 FROM inboxes WHERE slug = $1", [props.slug]);
    if (taken.rowCount > 0)
      throw new AppError("conflict", `An inbox with the identifier ${props.slug} already exists`, [
        { path: "slug", message: "Already in use" },
      ]);
    if (props.defaultTeamId) {
      const team = await tx.query("SELECT 1 FROM teams WHERE id = $1", [props.defaultTeamId]);
      if (team.rowCount === 0) throw new AppError("validation_error", "No such team", [{ path: "defaultTeamId", message: "No such team" }]);
    }
    const { rows } = await tx.query<InboxRow>(
      `INSERT INTO inboxes (slug, name, channel, settings, identity_secret, default_team_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        props.slug,
        props.name.trim(),
        props.channel,
        JSON.stringify(settings),
        sealIdentitySecret(ctx.secrets, identitySecret),
        props.defaultTeamId ?? null,
      ],
    );
    const inbox = { ...rows[0]!, identity_secret: identitySecret };
    await writeAudit(tx, {
      actor: props.actor,
      action: "inbox.create",
      targetType: "inbox",
      targetId: inbox.id,
      data: { slug: inbox.slug, name: inbox.name, channel: inbox.channel, defaultTeamId: inbox.default_team_id, settings },
      ip: props.ip,
    });
    return inbox;
  });
}
