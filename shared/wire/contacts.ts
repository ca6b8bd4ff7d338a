/** A customer as the server sends it to agents. Presenter: server/presenters/presentContact.ts. */

/** Who a conversation is with, as the conversation list names them. */
export interface ContactRef {
  id: string;
  name: string | null;
  verified: boolean;
}

export interface Contact extends ContactRef {
  email: string | null;
  phone: string | null;
  externalId: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
}
