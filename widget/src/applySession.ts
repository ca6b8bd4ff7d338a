import type { KeyValue, SavedSession } from "./storage.ts";
import type { Outbox } from "./outbox.ts";
import type { Conversation } from "./conversation.ts";
import type { ReadMarks } from "./readMarks.ts";
import type { Connection } from "./connection.ts";
import type { Identity, SessionResponse } from "./types.ts";

/** What taking up a new session touches: the saved session and the outbox, the conversation on screen, its read marks, the socket. */
export interface SessionTargets {
  readonly savedSession: KeyValue<SavedSession>;
  /** Who the page says the customer is (identify / boot): a signed-in customer may ask for a new conversation. */
  readonly identity: Identity | undefined;
  readonly outbox: Pick<Outbox, "update">;
  readonly conversation: Pick<Conversation, "id" | "chat" | "historySeq" | "show" | "restorePending" | "clearSideState">;
  readonly readMarks: Pick<ReadMarks, "init" | "update">;
  readonly connection: Pick<Connection, "open">;
  render(): void;
}

/** A session started: its contact's outbox, the conversation to show, its read marks, then the socket. */
export function applySession(res: SessionResponse, t: SessionTargets): void {
  const saved = t.savedSession.get();
  const sameContact = saved?.contactId === res.contact.id;
  const { identity, conversation } = t;
  const conversations = [...(res.conversations ?? [])].sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt));
  let conversationId = sameContact ? (conversation.id ?? saved?.conversationId) : undefined;
  // Signing in resumes the customer's latest conversation, unless the page asks for a new one.
  const startFresh = !sameContact && !!identity?.newConversation && !!res.verified;
  if (!conversationId && !(sameContact && saved?.fresh) && !startFresh) conversationId = conversations[0]?.id;
  const summary = conversations.find((c) => c.id === conversationId);

  // Messages typed before there was a session belong to this contact; others' are dropped.
  t.outbox.update((all) =>
    all
      .filter((e) => !e.contactId || e.contactId === res.contact.id)
      .map((e) => (e.contactId ? e : { ...e, contactId: res.contact.id, conversationId: sameContact ? e.conversationId : undefined })),
  );

  if (!sameContact || conversation.id !== conversationId) {
    // Lines on their way are in the outbox: the new transcript gets them back from there.
    conversation.show(conversationId, summary?.status);
    conversation.restorePending(res.contact.id);
    conversation.clearSideState();
  } else if (summary) conversation.chat.status = summary.status;
  conversation.historySeq = Math.max(conversation.chat.maxSeq, summary?.lastSeq ?? 0);

  t.savedSession.set({
    token: res.token,
    contactId: res.contact.id,
    verified: !!res.verified,
    userId: res.verified ? identity?.userId : undefined,
    conversationId,
    fresh: startFresh ? true : sameContact && !conversationId ? saved?.fresh : undefined,
  });
  if (conversationId) t.readMarks.init(conversationId, summary?.lastSeq ?? 0);
  t.readMarks.update();
  t.connection.open();
  t.render();
}
