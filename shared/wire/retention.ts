/** A legal hold as admins see it. Presenter: server/retention/legalHolds.ts. */
export interface LegalHold {
  id: string;
  /** Exactly one of contactId and conversationId is set: what the hold covers. */
  contactId: string | null;
  conversationId: string | null;
  reason: string;
  createdBy: string | null;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
}

/** What an erasure removed (POST /admin/privacy/contacts/{id}/erase). */
export interface PrivacyErasure {
  contactId: string;
  /** Complaint cases are kept (a regulator may ask for them), without the customer's details. */
  casesKept: number;
  filesDeleted: number;
  /** The other counts of what was deleted (conversations, messages...). */
  [count: string]: string | number;
}
