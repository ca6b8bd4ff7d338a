import crypto from "node:crypto";
import type { Actor, AppContext } from "../context.ts";
import type { InboxRow, InboxSettings } from "../conversations/types.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { writeAudit } from "./writeAudit.ts";

export interface CreateInboxProps {
  actor: Actor;
  slug: string;
  name: string;
  channel: InboxRow["channel"];
  settings?: InboxSettings;
  defaultTeamId?: string | null;
  /** For HMAC identity verification; generated when omitted. */
  identitySecret?: string;
}

/** Creates an inbox: one channel entry point (the website widget, an e-mail address...). */
export async function createInbox(ctx: AppContext, props: CreateInboxProps): Promise<InboxRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<InboxRow>(
      `INSERT INTO inboxes (slug, name, channel, settings, identity_secret, default_team_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        props.slug,
        props.name,
        props.channel,
        JSON.stringify(props.settings ?? {}),
        props.identitySecret ?? crypto.randomBytes(32).toString("hex"),
        props.defaultTeamId ?? null,
      ],
    );
    await writeAudit(tx, { actor: props.actor, action: "inbox.create", targetType: "inbox", targetId: rows[0]!.id });
    return rows[0]!;
  });
}
