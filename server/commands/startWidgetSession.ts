import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { InboxRow } from "../models/inboxes.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { findInbox, isUuid } from "../conversations/queries.ts";
import { statement } from "../db/Database.ts";
import { hashToken, newToken, openIdentitySecret, verifyEmailIdentityHash, verifyIdentityHash } from "../auth/identity.ts";
import { AppError, notFound } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

export interface StartWidgetSessionProps {
  inbox: string;
  /** A token from an earlier session in this browser, to continue as the same contact. */
  token?: string;
  userId?: string;
  identityHash?: string;
  name?: string;
  email?: string;
  /** The page's signature of `email` for the verified `userId` (contacts/verifiedEmails.ts emailIdentityHash). */
  emailHash?: string;
  attributes?: Record<string, string | number | boolean>;
  ip?: string;
  /** The embedding page's origin (the Origin header), checked against the inbox's allowed origins. */
  origin?: string;
}

export interface WidgetSession {
  token: string;
  contact: ContactRow;
  inbox: InboxRow;
  verified: boolean;
  /** The e-mail address the page signed for the verified customer (lower case), if any. */
  verifiedEmail?: string;
}

/**
 * Starts (or resumes) a widget visitor's session. With a `userId` whose HMAC
 * `identityHash` checks out, the visitor is the bank's verified customer and gets
 * that customer's contact; a wrong hash is refused (never silently anonymous), so a
 * forged identity cannot even open a chat. Without identity the visitor is an
 * anonymous contact, unless the inbox requires verification.
 */
export async function startWidgetSession(ctx: AppContext, props: StartWidgetSessionProps): Promise<WidgetSession> {
  const inbox = await findInbox(ctx.db, props.inbox);
  if (!inbox || inbox.channel !== "web") throw notFound("Inbox");
  const allowed = inbox.settings.allowedOrigins;
  if (allowed?.length && props.origin && !allowed.includes(props.origin)) {
    throw new AppError("forbidden", "This chat cannot be embedded on this site");
  }

  let verified = false;
  if (props.userId !== undefined || props.identityHash !== undefined) {
    if (
      !props.userId ||
      !props.identityHash ||
      !verifyIdentityHash(props.userId, props.identityHash, openIdentitySecret(ctx.secrets, inbox.identity_secret))
    ) {
      await writeAudit(ctx.db, {
        actor: { type: "system" },
        action: "widget.identity_rejected",
        targetType: "inbox",
        targetId: inbox.id,
        ip: props.ip,
        data: { userId: props.userId ?? null },
      });
      throw new AppError("unauthenticated", "The identity could not be verified");
    }
    verified = true;
  } else if (inbox.settings.requireVerification) {
    throw new AppError("unauthenticated", "This chat is for signed-in customers: please sign in first");
  }
  // A signed e-mail address, as the identity: checked, or the session is refused (never silently unverified).
  let verifiedEmail: string | undefined;
  if (props.emailHash !== undefined) {
    if (
      !verified ||
      !props.email ||
      !verifyEmailIdentityHash(props.userId!, props.email, props.emailHash, openIdentitySecret(ctx.secrets, inbox.identity_secret))
    ) {
      await writeAudit(ctx.db, {
        actor: { type: "system" },
        action: "widget.identity_rejected",
        targetType: "inbox",
        targetId: inbox.id,
        ip: props.ip,
        data: { userId: props.userId ?? null, field: "email" },
      });
      throw new AppError("unauthenticated", "The e-mail address could not be verified");
    }
    verifiedEmail = props.email.trim().toLowerCase();
  }

  return ctx.db.transaction(async (tx) => {
    let contact: ContactRow | undefined;
    if (props.token) {
      const { rows } = await tx.query<ContactRow & { session_verified: boolean }>(
        `SELECT c.*, s.verified AS session_verified FROM widget_sessions s JOIN contacts c ON c.id = s.contact_id
         WHERE s.token_hash = $1 AND s.inbox_id = $2 AND s.revoked_at IS NULL`,
        [hashToken(props.token), inbox.id],
      );
      const previous = rows[0];
      // A stored session continues only as the same person: an anonymous session may
      // not become someone else's verified one, nor the other way round.
      if (previous && (!verified || previous.external_id === props.userId)) {
        contact = previous;
        if (!verified && previous.session_verified) contact = undefined;
      }
    }
    if (!contact && verified) {
      const { rows } = await tx.query<ContactRow>(
        `INSERT INTO contacts (external_id, verified, name, email) VALUES ($1, true, $2, $3)
         ON CONFLICT (external_id) DO UPDATE SET verified = true,
           name = COALESCE(EXCLUDED.name, contacts.name), email = COALESCE(EXCLUDED.email, contacts.email), updated_at = now()
         RETURNING *`,
        [props.userId, props.name ?? null, props.email ?? null],
      );
      contact = rows[0];
    }
    if (!contact) {
      const { rows } = await tx.query<ContactRow>("INSERT INTO contacts (name, email) VALUES ($1, $2) RETURNING *", [
        props.name ?? null,
        props.email ?? null,
      ]);
      contact = rows[0];
    } else if (!verified && (props.name || props.email || props.attributes)) {
      const { rows } = await tx.query<ContactRow>(
        `UPDATE contacts SET name = COALESCE($2, name), email = COALESCE($3, email), attributes = attributes || $4::jsonb, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [contact.id, props.name ?? null, props.email ?? null, JSON.stringify(props.attributes ?? {})],
      );
      contact = rows[0];
    }
    const { token, hash } = newToken();
    await tx.query("INSERT INTO widget_sessions (token_hash, contact_id, inbox_id, verified) VALUES ($1, $2, $3, $4)", [
      hash,
      contact!.id,
      inbox.id,
      verified,
    ]);
    await tx.query("INSERT INTO contact_inboxes (contact_id, inbox_id, source_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [
      contact!.id,
      inbox.id,
      `widget:${contact!.id}`,
    ]);
    return { token, contact: contact!, inbox, verified, ...(verifiedEmail ? { verifiedEmail } : {}) };
  });
}

/** Resolves a widget token to its session, or undefined when unknown or revoked. */
export async function findWidgetSession(
  ctx: AppContext,
  token: string,
): Promise<{ contact: ContactRow; inbox: InboxRow; verified: boolean } | undefined> {
  if (typeof token !== "string" || token.length > 200) return undefined;
  const { rows } = await ctx.db.query<{ contact_id: string; inbox_id: string; verified: boolean }>(
    "UPDATE widget_sessions SET last_seen_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING contact_id, inbox_id, verified",
    [hashToken(token)],
  );
  const s = rows[0];
  if (!s) return undefined;
  const [contact, inbox] = await Promise.all([
    ctx.db.query<ContactRow>("SELECT * FROM contacts WHERE id = $1", [s.contact_id]),
    findInbox(ctx.db, s.inbox_id),
  ]);
  if (!contact.rows[0] || !inbox) return undefined;
  return { contact: contact.rows[0], inbox, verified: s.verified };
}

/** True when the token belonged to a session that was revoked (as opposed to never existing). */
export async function isRevokedWidgetToken(ctx: AppContext, token: string): Promise<boolean> {
  if (typeof token !== "string" || !token || token.length > 200) return false;
  const { rows } = await ctx.db.query("SELECT 1 FROM widget_sessions WHERE token_hash = $1 AND revoked_at IS NOT NULL", [hashToken(token)]);
  return rows.length > 0;
}

/**
 * Before every customer write: is the session still live, and (when the write names
 * one) the conversation. One round trip, kept prepared (db/Database.ts statement()):
 * a customer message is acknowledged after this and the insert only (eval/bench/load.ts).
 */
const SESSION_AND_CONVERSATION = statement(
  `SELECT c.*, s.session_live
   FROM (SELECT EXISTS (SELECT 1 FROM widget_sessions WHERE token_hash = $1 AND revoked_at IS NULL) AS session_live) s
   LEFT JOIN conversations c ON c.id = $2::uuid`,
);

/**
 * A widget write re-checks its session (a token revoked on another node cannot keep
 * writing through an old socket): refused as `unauthenticated` with the reason
 * `session_revoked` (isSessionRevoked) when it is no longer live. Returns the named
 * conversation as stored, not yet authorised.
 */
export async function checkWidgetWrite(ctx: AppContext, tokenHash: string, conversationId?: string): Promise<ConversationRow | undefined> {
  const { rows } = await ctx.db.query<ConversationRow & { session_live: boolean }>(SESSION_AND_CONVERSATION, [
    tokenHash,
    isUuid(conversationId) ? conversationId : null,
  ]);
  const { session_live, ...conversation } = rows[0]!;
  if (!session_live) throw new AppError("unauthenticated", SESSION_REVOKED_MESSAGE, { reason: "session_revoked" });
  return conversation.id ? (conversation as ConversationRow) : undefined;
}

/** True for the refusal of a write through a revoked session (checkWidgetWrite). */
export function isSessionRevoked(err: unknown): boolean {
  return err instanceof AppError && (err.details as { reason?: string } | undefined)?.reason === "session_revoked";
}

/** What a revoked token gets, on REST (401) and on the socket (connect_error `session_revoked`). */
export const SESSION_REVOKED_MESSAGE = "This chat session has ended. Please start a new conversation.";
