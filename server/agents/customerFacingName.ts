import { z } from "zod";

/**
 * What a customer sees of an agent: a chosen display name, or the first word of the
 * agent's name ("Li Na Chen" → "Li"). Never more: staff's full names and e-mail
 * addresses are not the customer's business. A name that is an e-mail address
 * (`user create` without --name gives its local part; an admin may have typed one)
 * shows as nothing, and the widget says "Agent".
 */
export function customerFacingName(agent: { name: string; display_name?: string | null }): string | null {
  const chosen = agent.display_name?.trim();
  const name = chosen || agent.name.trim().split(/\s+/)[0] || "";
  return name && !name.includes("@") ? name : null;
}

/** Input for a display name (agent's profile, admin), text only; null returns to the default. */
export const displayNameInput = z
  .string()
  .transform((v) => v.normalize("NFC").trim().replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .min(1, "Say what customers should call you")
      .max(40, "At most 40 characters")
      // eslint-disable-next-line no-control-regex
      .refine((v) => !/[\u0000-\u001f\u007f<>]/.test(v), "Letters, digits, spaces and punctuation only (no < or >)")
      .refine((v) => !v.includes("@"), "Not an e-mail address: customers see this name"),
  )
  .nullable();
