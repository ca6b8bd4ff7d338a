import type { AppContext } from "../context.ts";
import type { ContactRow } from "../models/contacts.ts";
import type { InboxRow } from "../models/inboxes.ts";
import { preChatFieldsOf, preChatValuesSchema } from "../conversations/preChatForm.ts";
import { parseInput } from "../validation.ts";
import { AppError } from "../errors.ts";

export interface SubmitPreChatFormProps {
  contactId: string;
  inbox: InboxRow;
  /** A verified customer's details come from the bank, never from this form. */
  verified: boolean;
  values: unknown;
}

/**
 * Saves what a visitor typed into the inbox's pre-chat form on their contact,
 * validated against that inbox's fields (the required ones must be there), and
 * records when they filled it in so the form is not asked again.
 */
export async function submitPreChatForm(ctx: AppContext, props: SubmitPreChatFormProps): Promise<ContactRow> {
  if (props.verified) throw new AppError("forbidden", "Signed-in customers' details come from the bank");
  const fields = preChatFieldsOf(props.inbox.settings);
  if (!fields) throw new AppError("not_found", "This chat has no pre-chat form");
  const values = parseInput(preChatValuesSchema(fields), props.values ?? {}, "body");
  const { rows } = await ctx.db.query<ContactRow>(
    `UPDATE contacts SET name = COALESCE($2, name), email = COALESCE($3, email), phone = COALESCE($4, phone),
       attributes = attributes || jsonb_build_object('preChatAt', now()), updated_at = now()
     WHERE id = $1 AND verified = false RETURNING *`,
    [props.contactId, values.name ?? null, values.email ?? null, values.phone ?? null],
  );
  if (!rows[0]) throw new AppError("not_found", "Contact not found");
  return rows[0];
}
