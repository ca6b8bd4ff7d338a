import { z } from "zod";

const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app");
const recoveryCode = z.string().trim().min(1, "Enter a recovery code").max(40);

/** A request body with `fields` and a second factor: a 6-digit `code` or a `recoveryCode`, exactly one. */
export function withSecondFactor<T extends z.ZodRawShape>(fields: T) {
  return z.union([z.object({ ...fields, code }).strict(), z.object({ ...fields, recoveryCode }).strict()]);
}

/** A request body with a current 6-digit code only. */
export const currentCodeSchema = z.object({ code }).strict();
