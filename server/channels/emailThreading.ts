/**
 * E-mail threading, as pure functions. A reply names the messages it answers in
 * In-Reply-To and References; we look those ids up (newest first) to find the
 * conversation. Our own outbound Message-IDs also carry the conversation id, so a
 * reply threads even if the lookup table lost the row.
 */

/** Normalises a Message-ID: trimmed, without angle brackets, lower-cased domain part kept as is. */
export function normalizeMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, "").trim();
}

/** Splits a References / In-Reply-To header value (or mailparser's parsed form) into ids. */
export function parseMessageIds(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const raw = Array.isArray(value) ? value.join(" ") : value;
  const ids = raw.match(/<[^<>\s]+>/g) ?? raw.split(/[\s,]+/);
  return ids.map(normalizeMessageId).filter((id) => id.length > 0 && id.length <= 998);
}

/**
 * The ids to try, most specific first: In-Reply-To, then References from the
 * newest (last) to the oldest, without duplicates.
 */
export function threadCandidates(inReplyTo: string | string[] | undefined, references: string | string[] | undefined): string[] {
  const out: string[] = [];
  for (const id of [...parseMessageIds(inReplyTo), ...parseMessageIds(references).reverse()]) {
    if (!out.includes(id)) out.push(id);
  }
  return out.slice(0, 50);
}

const OUR_ID = /^bankdesk\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f-]{36})@/i;

/** The Message-ID of one of our outbound messages (without brackets). */
export function outboundMessageId(conversationId: string, messageId: string, domain: string): string {
  return `bankdesk.${conversationId}.${messageId}@${domain}`;
}

/** The conversation id inside one of our own Message-IDs, if it is one. */
export function conversationIdFromMessageId(id: string): string | undefined {
  return OUR_ID.exec(normalizeMessageId(id))?.[1]?.toLowerCase();
}

/** The domain of an address like "Bank <help@bank.example>" (for our Message-IDs). */
export function addressDomain(address: string): string {
  const m = /@([^\s>]+)>?\s*$/.exec(address.trim());
  return m?.[1]?.toLowerCase() ?? "localhost";
}

/** "Re: " once, however many the subject already has (Re:, RE:, Aw:, 回复:). */
export function replySubject(subject: string | undefined | null): string {
  const base = (subject ?? "").replace(/^(\s*(re|aw|sv|fw|fwd|回复|答复)\s*[:：]\s*)+/i, "").trim();
  return base ? `Re: ${base}` : "Re: your message";
}

/**
 * Cuts the quoted history off a reply, so the conversation shows what the customer
 * wrote rather than our previous answer again: from the first "On ... wrote:" /
 * "-----Original Message-----" / "发件人:" line, or the first block of "> " lines at
 * the end. Keeps the whole text when that would leave nothing.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (
      /^on\b.{0,200}\bwrote:\s*$/i.test(l) ||
      /^-{2,}\s*original message\s*-{2,}$/i.test(l) ||
      /^(from|发件人)\s*[:：]/i.test(l) ||
      /^在.{0,100}写道\s*[:：]\s*$/.test(l)
    ) {
      cut = i;
      break;
    }
    if (l.startsWith(">") && lines.slice(i).every((r) => r.trim() === "" || r.trim().startsWith(">"))) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut).join("\n").trim();
  return kept || text.trim();
}
