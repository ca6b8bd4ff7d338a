import type { Namespace } from "socket.io";
import type { Redis } from "ioredis";
import { z } from "zod";
import { widgetEventLimiter } from "./limitWidgetEvents.ts";
import type { AppContext } from "../../context.ts";
import type { DomainEvents } from "../../events/EventBus.ts";
import {
  checkWidgetWrite,
  findWidgetSession,
  isRevokedWidgetToken,
  isSessionRevoked,
  SESSION_REVOKED_MESSAGE,
} from "../../commands/startWidgetSession.ts";
import { customerMessageFiles } from "../../attachments/commands/claimAttachments.ts";
import { receiveWidgetMessage } from "../../commands/receiveCustomerMessage.ts";
import { requestFollowUp } from "../../commands/requestFollowUp.ts";
import { emailTranscript } from "../../commands/emailTranscript.ts";
import { hashToken } from "../../auth/identity.ts";
import { createConversation } from "../../commands/createConversation.ts";
import { recordCsat } from "../../commands/recordCsat.ts";
import { recordNps } from "../../nps/recordNps.ts";
import { rateAnswer } from "../../commands/rateAnswer.ts";
import { findConversation, findInbox, listMessages } from "../../conversations/queries.ts";
import type { ConversationRow } from "../../models/conversations.ts";
import { authorizeRead } from "../../policies/conversationPolicy.ts";
import { presentMessage } from "../../presenters/presentMessage.ts";
import { presentConversation } from "../../presenters/presentConversation.ts";
import { AppError } from "../../errors.ts";
import { rooms } from "./rooms.ts";
import { widgetRequestSchemas } from "./widgetRequestSchemas.ts";
import { on } from "./socketHandler.ts";
import type { Presented } from "../../presenters/Presented.ts";
import {
  AGENT_EVENTS,
  AGENT_NAMESPACE,
  WIDGET_EVENTS,
  WIDGET_REQUESTS,
  type TypingEvent,
  type WidgetEvents,
  type WidgetRequests,
} from "../../../shared/wire/index.ts";
import { stepUpSocketEvents } from "../../stepup/stepUpSocketEvents.ts";

/**
 * The customer's socket. A connection authenticates with its widget session token
 * and joins only its own contact room; every conversation id it sends is checked
 * against the contact (another customer's id answers not_found).
 */
export function widgetNamespace(nsp: Namespace, ctx: AppContext, redis?: Redis) {
  const limits = widgetEventLimiter(redis && { client: redis, prefix: ctx.config.REDIS_PREFIX });
  // Once for the namespace, not per connection (widgetRequestSchemas.ts says why).
  const schemas = widgetRequestSchemas(ctx.config.MAX_MESSAGE_LENGTH);
  /** Open sockets per contact on this node. */
  const openSockets = new Map<string, number>();

  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      const session = typeof token === "string" ? await findWidgetSession(ctx, token) : undefined;
      if (!session) {
        // A revoked token is told so (the widget then starts afresh); an unknown one is just unauthenticated.
        if (typeof token === "string" && (await isRevokedWidgetToken(ctx, token))) {
          return next(Object.assign(new Error("session_revoked"), { data: { code: "session_revoked", message: SESSION_REVOKED_MESSAGE } }));
        }
        return next(new Error("unauthenticated"));
      }
      // A session opens a socket per tab; more than this on one node is a script, not a customer.
      if ((openSockets.get(session.contact.id) ?? 0) >= MAX_SOCKETS_PER_CONTACT) return next(new Error("too_many_connections"));
      socket.data.sessionHash = hashToken(token as string);
      socket.data.contactId = session.contact.id;
      socket.data.inboxId = session.inbox.id;
      socket.data.verified = session.verified;
      next();
    } catch (err) {
      ctx.logger.warn({ err }, "widget auth failed");
      next(new Error("unavailable"));
    }
  });

  nsp.on("connection", (socket) => {
    const actor = { type: "contact" as const, id: socket.data.contactId as string, verified: socket.data.verified as boolean };
    limits.attach(socket, actor.id);
    openSockets.set(actor.id, (openSockets.get(actor.id) ?? 0) + 1);
    socket.on("disconnect", () => {
      const n = (openSockets.get(actor.id) ?? 1) - 1;
      if (n > 0) openSockets.set(actor.id, n);
      else openSockets.delete(actor.id);
    });
    void socket.join([rooms.contact(actor.id), sessionRoom(socket.data.sessionHash as string)]);
    /** After refusing a write through a revoked session, the socket closes (once that refusal is acknowledged). */
    const closeIfRevoked = (err: unknown): never => {
      if (isSessionRevoked(err)) setTimeout(() => socket.disconnect(true), 0);
      throw err;
    };
    /** Writes re-check the session (checkWidgetWrite); returns the named conversation as stored (not yet authorised). */
    const stillValid = (conversationId?: string): Promise<ConversationRow | undefined> =>
      checkWidgetWrite(ctx, socket.data.sessionHash as string, conversationId).catch(closeIfRevoked);
    const own = async (conversationId: string) => authorizeRead(actor, await findConversation(ctx.db, conversationId));
    /** A widget request (shared/wire), its reply checked against the contract the widget reads. */
    const handle = <E extends keyof WidgetRequests, S extends z.ZodType>(
      event: E,
      schema: S,
      handler: (payload: z.infer<S>) => Promise<Presented<WidgetRequests[E]["reply"]> | void>,
    ) => on(socket, ctx.logger, event, schema, handler);

    handle(WIDGET_REQUESTS.createConversation, schemas.createConversation, async () => {
      const conversation = await createConversation(ctx, { inboxId: socket.data.inboxId, contactId: actor.id });
      return { conversation: presentConversation(conversation, "contact") };
    });

    handle(WIDGET_REQUESTS.sendMessage, schemas.sendMessage, async (p) => {
      const { message, duplicate } = await receiveWidgetMessage(ctx, {
        session: {
          tokenHash: socket.data.sessionHash as string,
          contactId: actor.id,
          inboxId: socket.data.inboxId,
          verified: actor.verified,
        },
        originSocketId: socket.id,
        conversationId: p.conversationId,
        clientId: p.clientId,
        content: p.content,
        attachmentIds: p.attachmentIds,
        files: customerMessageFiles(ctx, actor.id),
      }).catch(closeIfRevoked);
      // Acknowledged now (socketHandler.ts), with the message: its events follow on the next turn of the
      // event loop, to everyone but this socket (fanOutToSockets.ts).
      return { message: presentMessage(message, "contact"), duplicate };
    });

    handle(WIDGET_REQUESTS.syncMessages, schemas.syncMessages, async (p) => {
      const c = await own(p.conversationId);
      const messages = await listMessages(ctx.db, c.id, { afterSeq: p.afterSeq, includePrivate: false });
      return { conversation: presentConversation(c, "contact"), messages: messages.map((m) => presentMessage(m, "contact")) };
    });

    handle(WIDGET_REQUESTS.followUp, schemas.followUp, async (p) => {
      await stillValid();
      const c = await own(p.conversationId);
      const { message } = await requestFollowUp(ctx, { contactId: actor.id, conversationId: c.id, email: p.email, clientId: p.clientId });
      return { message: presentMessage(message, "contact") };
    });

    handle(WIDGET_REQUESTS.transcript, schemas.transcript, async (p) => {
      await stillValid();
      const c = await own(p.conversationId);
      return emailTranscript(ctx, { contactId: actor.id, conversationId: c.id, email: p.email });
    });

    handle(WIDGET_REQUESTS.typing, schemas.typing, async (p) => {
      const c = await own(p.conversationId);
      const typing: TypingEvent = { conversationId: c.id, from: "contact", typing: p.typing };
      socket.nsp.server.of(AGENT_NAMESPACE).to(rooms.staffFor(c)).emit(AGENT_EVENTS.typing, typing);
    });

    handle(WIDGET_REQUESTS.csat, schemas.csat, async (p) => {
      const c = await own(p.conversationId);
      await recordCsat(ctx, { conversationId: c.id, rating: p.rating, comment: p.comment ?? null });
    });

    // "How likely are you to recommend us?" (0–10, "why?") under a resolved conversation, when the inbox asks it.
    handle(WIDGET_REQUESTS.nps, schemas.nps, async (p) => {
      const c = await own(p.conversationId);
      if (!(await findInbox(ctx.db, c.inbox_id))?.settings.npsEnabled)
        throw new AppError("forbidden", "This inbox does not ask for a recommendation score");
      await recordNps(ctx, { conversationId: c.id, score: p.score, comment: p.comment ?? null, via: "widget" });
    });

    // The one-time code of a step-up, typed in the widget's code box, and "send another code".
    stepUpSocketEvents(socket, ctx, actor, stillValid);

    // 👍 / 👎 under one of the assistant's answers: the answer as stored, with its verdict.
    handle(WIDGET_REQUESTS.feedback, schemas.feedback, async (p) => {
      const c = authorizeRead(actor, await stillValid(p.conversationId));
      const message = await rateAnswer(ctx, { actor, conversation: c, messageId: p.messageId, rating: p.rating });
      return { message: presentMessage(message, "contact") };
    });
  });
}

/**
 * Listens to `widget.sessions_revoked` (server/events/listeners.ts): revoked sessions
 * (shutdown, or staff ending them) lose their sockets at once, on every node.
 */
export function closeRevokedSessions(nsp: Namespace) {
  return ({ tokenHashes }: DomainEvents["widget.sessions_revoked"]) => {
    for (const hash of tokenHashes) {
      const revoked: WidgetEvents["session:revoked"] = { code: "session_revoked", message: SESSION_REVOKED_MESSAGE };
      nsp.in(sessionRoom(hash)).emit(WIDGET_EVENTS.sessionRevoked, revoked);
      nsp.in(sessionRoom(hash)).disconnectSockets(true);
    }
  };
}

const sessionRoom = (tokenHash: string) => `widget-session:${tokenHash}`;
/** Widget sockets one contact may hold on one node (tabs, reconnects in flight). */
export const MAX_SOCKETS_PER_CONTACT = 10;
