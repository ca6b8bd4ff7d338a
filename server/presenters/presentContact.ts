import type { ContactRow } from "../models/contacts.ts";
import type { Contact } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

export function presentContact(c: ContactRow): Presented<Contact> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    externalId: c.external_id,
    verified: c.verified,
    attributes: c.attributes,
    createdAt: c.created_at,
    mergedInto: c.merged_into ?? null,
  };
}
