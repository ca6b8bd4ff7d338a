import { z } from "zod";
import type { InboxSettings } from "../models/inboxes.ts";
import type { PreChatForm } from "../../shared/wire/index.ts";

/** The inbox's pre-chat fields, or null when it asks for none (the legacy `preChatFields` list means optional fields). */
export function preChatFieldsOf(settings: InboxSettings): PreChatForm["fields"] | null {
  const form = settings.preChatForm;
  if (form) return form.enabled && form.fields.length ? form.fields : null;
  if (settings.preChatFields?.length) return settings.preChatFields.map((name) => ({ name, required: false }));
  return null;
}

export const contactEmail = z.string().trim().toLowerCase().max(200).email("Please enter a valid e-mail address");
export const contactPhone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9][0-9 ()-]{5,30}[0-9]$/, "Please enter a valid phone number");
export const contactName = z
  .string()
  .trim()
  .min(1, "Please enter your name")
  .max(200)
  .refine((v) => !/[<>]/.test(v), "A name cannot contain < or >");

/** The schema of what the pre-chat form submits, for these fields (required ones must be there). */
export function preChatValuesSchema(fields: PreChatForm["fields"]) {
  const field = { name: contactName, email: contactEmail, phone: contactPhone } as const;
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.name] = f.required ? field[f.name] : field[f.name].optional();
  return z
    .object(shape)
    .strict()
    .transform((v) => v as { name?: string; email?: string; phone?: string });
}
