import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorize, canAdminister } from "../../policies/adminPolicy.ts";
import { newApiKey } from "../api.ts";
import { lockChannelInbox } from "./configureChannel.ts";
import { writeAudit } from "../../audit/writeAudit.ts";

/** Issues a new API key for an API-channel inbox (the previous one stops working). Returns the key once. */
export async function rotateInboxApiKey(ctx: AppContext, props: { actor: Actor; inbox: string; ip?: string }): Promise<{ apiKey: string }> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const inbox = await lockChannelInbox(tx, props.inbox);
    if (!inbox) throw notFound("Inbox");
    if (inbox.channel !== "api") throw new AppError("validation_error", "Only API-channel inboxes have API keys");
    const { key, hash } = newApiKey();
    await tx.query("UPDATE inboxes SET api_key_hash = $2 WHERE id = $1", [inbox.id, hash]);
    await writeAudit(tx, { actor: props.actor, action: "inbox.api_key_rotated", targetType: "inbox", targetId: inbox.id, ip: props.ip });
    return { apiKey: key };
  });
}
