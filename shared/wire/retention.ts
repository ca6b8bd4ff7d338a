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

/** The organisation's settings (GET/PATCH /admin/organisation). Server: server/admin/organisationSettings.ts. */
export interface OrganisationSettings {
  /** Every console user must sign in with a second factor. */
  requireStaffTwoFactor: boolean;
  /** Days after a complaint case is closed before retention anonymises it (365 to 36500); null keeps cases for ever. */
  caseRetentionDays: number | null;
}
