import type { ContactRow } from "../conversations/types.ts";

export function presentContact(c: ContactRow) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    externalId: c.external_id,
    verified: c.verified,
    attributes: c.attributes,
    createdAt: c.created_at,
  };
}
