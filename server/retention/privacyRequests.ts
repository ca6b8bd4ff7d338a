import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { AppError } from "../errors.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { attachmentStore } from "../attachments/AttachmentStore.ts";
import { activeHoldsOnContact, presentLegalHold } from "./legalHolds.ts";
import { addCounts, anonymiseContact, emptyCounts, purgeConversation } from "./purgeConversation.ts";
import { deleteFiles } from "./runRetention.ts";

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Everything BankDesk holds about one customer, for a subject access request
 * (PIPL art. 45, GDPR art. 15): the contact, their conversations with every message
 * (staff notes included, marked private), CSAT, complaint cases with their timeline,
 * attachments (the list; the files stay in the store), channel identities and legal
 * holds. Audited; through the API also on the access log (fail closed).
 */
export async function exportContactData(ctx: AppContext, props: { actor: Actor; contactId: string; ip?: string }) {
  authorize(canAdminister(props.actor), "Only admins can export a customer's data");
  const contact = (await ctx.db.query<Record<string, unknown>>("SELECT * FROM contacts WHERE id = $1", [props.contactId])).rows[0];
  if (!contact) throw new AppError("not_found", "Contact not found");
  const q = async <T extends Record<string, unknown>>(sql: string) => (await ctx.db.query<T>(sql, [props.contactId])).rows;
  const [conversations, messages, csat, nps, attachments, cases, caseEvents, identities, holds] = await Promise.all([
    q<{
      id: string;
      display_id: number;
      inbox: string;
      status: string;
      labels: string[];
      created_at: Date;
      resolved_at: Date | null;
      anonymised_at: Date | null;
    }>(
      `SELECT c.id, c.display_id, i.slug AS inbox, c.status, c.labels, c.created_at, c.resolved_at, c.anonymised_at
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id WHERE c.contact_id = $1 ORDER BY c.created_at`,
    ),
    q<{
      conversation_id: string;
      seq: number;
      message_type: string;
      private: boolean;
      sender_type: string;
      content: string;
      attachments: unknown;
      created_at: Date;
    }>(
      `SELECT m.conversation_id, m.seq, m.message_type, m.private, m.sender_type, m.content, m.attachments, m.created_at
         FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = $1 ORDER BY m.conversation_id, m.seq`,
    ),
    q<{ conversation_id: string; rating: number; comment: string | null; created_at: Date }>(
      `SELECT s.conversation_id, s.rating, s.comment, s.created_at FROM csat_responses s
         JOIN conversations c ON c.id = s.conversation_id WHERE c.contact_id = $1`,
    ),
    q<{ conversation_id: string; score: number; comment: string | null; answered_at: Date }>(
      `SELECT n.conversation_id, n.score, n.comment, n.answered_at FROM nps_responses n
         JOIN conversations c ON c.id = n.conversation_id WHERE c.contact_id = $1 AND n.score IS NOT NULL`,
    ),
    q<{ id: string; conversation_id: string | null; name: string; content_type: string; size: number; sha256: string; created_at: Date }>(
      `SELECT a.id, a.conversation_id, a.name, a.content_type, a.size, a.sha256, a.created_at FROM attachments a
        WHERE a.contact_id = $1 OR a.conversation_id IN (SELECT id FROM conversations WHERE contact_id = $1) ORDER BY a.created_at`,
    ),
    q<{ id: string; reference: string; status: string; summary: string; received_at: Date; due_at: Date; closed_at: Date | null }>(
      "SELECT id, reference, status, summary, received_at, due_at, closed_at FROM cases WHERE contact_id = $1 ORDER BY received_at",
    ),
    q<{ case_id: string; kind: string; data: unknown; created_at: Date }>(
      `SELECT e.case_id, e.kind, e.data, e.created_at FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE c.contact_id = $1 ORDER BY e.case_id, e.id`,
    ),
    q<{ inbox: string; source_id: string }>(
      "SELECT i.slug AS inbox, ci.source_id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id WHERE ci.contact_id = $1",
    ),
    activeHoldsOnContact(ctx.db, props.contactId),
  ]);
  await writeAudit(ctx.db, {
    actor: props.actor,
    action: "privacy.exported",
    targetType: "contact",
    targetId: props.contactId,
    data: { conversations: conversations.length, messages: messages.length, cases: cases.length },
    ip: props.ip,
  });
  return {
    exportedAt: new Date().toISOString(),
    contact: {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      externalId: contact.external_id,
      verified: contact.verified,
      attributes: contact.attributes,
      createdAt: iso(contact.created_at as Date),
      anonymisedAt: iso((contact.anonymised_at as Date | null) ?? null),
    },
    channelIdentities: identities.map((r) => ({ inbox: r.inbox, sourceId: r.source_id })),
    conversations: conversations.map((c) => ({
      id: c.id,
      displayId: c.display_id,
      inbox: c.inbox,
      status: c.status,
      labels: c.labels,
      createdAt: iso(c.created_at),
      resolvedAt: iso(c.resolved_at),
      anonymisedAt: iso(c.anonymised_at),
      csat:
        csat
          .filter((s) => s.conversation_id === c.id)
          .map((s) => ({ rating: s.rating, comment: s.comment, createdAt: iso(s.created_at) }))[0] ?? null,
      nps:
        nps
          .filter((n) => n.conversation_id === c.id)
          .map((n) => ({ score: n.score, comment: n.comment, answeredAt: iso(n.answered_at) }))[0] ?? null,
      messages: messages
        .filter((m) => m.conversation_id === c.id)
        .map((m) => ({
          seq: m.seq,
          type: m.message_type,
          private: m.private,
          sender: m.sender_type,
          content: m.content,
          attachments: m.attachments,
          createdAt: iso(m.created_at),
        })),
    })),
    cases: cases.map((c) => ({
      id: c.id,
      reference: c.reference,
      status: c.status,
      summary: c.summary,
      receivedAt: iso(c.received_at),
      dueAt: iso(c.due_at),
      closedAt: iso(c.closed_at),
      events: caseEvents.filter((e) => e.case_id === c.id).map((e) => ({ kind: e.kind, data: e.data, createdAt: iso(e.created_at) })),
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      conversationId: a.conversation_id,
      name: a.name,
      contentType: a.content_type,
      size: a.size,
      sha256: a.sha256,
      createdAt: iso(a.created_at),
    })),
    legalHolds: holds.map(presentLegalHold),
  };
}

export type ContactExport = Awaited<ReturnType<typeof exportContactData>>;

/**
 * Erases a customer for a privacy request (PIPL art. 47, GDPR art. 17): every
 * conversation of theirs is deleted (messages, notes, CSAT, attachments and their
 * files, failed jobs and webhook delivery logs about it), whatever its status or
 * inbox, and the contact is anonymised. Refused while a legal hold covers them or
 * any of their conversations. Complaint cases are kept (a regulatory record the bank
 * must keep: GDPR art. 17(3)(b)); the contact row stays, without identifiers, so
 * they and the logs still join. Audited with the counts.
 */
export async function eraseContact(ctx: AppContext, props: { actor: Actor; contactId: string; ip?: string }) {
  authorize(canAdminister(props.actor), "Only admins can erase a customer's data");
  const store = attachmentStore(ctx.config);
  const result = await ctx.db.transaction(async (tx) => {
    const contact = await tx.query("SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE", [props.contactId]);
    if (contact.rowCount === 0) throw new AppError("not_found", "Contact not found");
    const convs = await tx.query<{ id: string }>("SELECT id FROM conversations WHERE contact_id = $1 FOR UPDATE", [props.contactId]);
    // After the locks: a hold being placed either committed before (seen here) or waits for us.
    const holds = await activeHoldsOnContact(tx, props.contactId);
    if (holds.length > 0) {
      throw new AppError("conflict", "This customer is under a legal hold; release it before erasing", {
        reason: "legal_hold",
        holds: holds.map((h) => h.id),
      });
    }
    let counts = emptyCounts();
    const keys: string[] = [];
    for (const c of convs.rows) {
      const r = await purgeConversation(tx, c.id, "delete");
      counts = addCounts(counts, r.counts);
      keys.push(...r.storageKeys);
    }
    keys.push(...(await anonymiseContact(tx, props.contactId)));
    const casesKept = Number(
      (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE contact_id = $1", [props.contactId])).rows[0]!.n,
    );
    const summary = { ...counts, casesKept };
    await writeAudit(tx, {
      actor: props.actor,
      action: "privacy.erased",
      targetType: "contact",
      targetId: props.contactId,
      data: summary,
      ip: props.ip,
    });
    return { summary, keys };
  });
  const filesDeleted = await deleteFiles(ctx, store, result.keys);
  return { contactId: props.contactId, ...result.summary, filesDeleted };
}
