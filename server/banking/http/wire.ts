import { z } from "zod";

/**
 * The JSON bodies of the core-banking HTTP contract (docs/core-banking.openapi.yaml),
 * as zod schemas. The adapter checks every answer against them, so a core that
 * sends something else fails with a clear `bad_response` error instead of handing
 * `undefined` to the assistant; the reference server's tests check its answers
 * against the same schemas. Unknown fields are allowed (a bank may send more).
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a YYYY-MM-DD date");
const money = z.number().finite();

export const accountSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(["current", "savings", "credit"]),
  name: z.string(),
  // Only the last four digits ever cross the wire: a full number is refused here.
  maskedNumber: z.string().regex(/^\D*\d{0,4}$/, "must show at most the last four digits"),
  currency: z.string().length(3),
  balance: money,
  creditLimit: money.nullable(),
});

export const cardSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(["debit", "credit"]),
  product: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  status: z.enum(["active", "frozen", "cancelled"]),
  expires: z.string(),
});

export const transactionSchema = z.object({
  id: z.string().min(1),
  accountName: z.string(),
  postedAt: z.iso.datetime({ offset: true }),
  description: z.string(),
  amount: money,
});

export const transactionDetailSchema = transactionSchema.extend({
  accountId: z.string().min(1),
  accountMaskedNumber: z.string().regex(/^\D*\d{0,4}$/, "must show at most the last four digits"),
  currency: z.string().length(3),
  direction: z.enum(["debit", "credit"]),
  status: z.enum(["posted", "pending"]),
});

export const depositSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(["time", "instalment"]),
  principal: money,
  monthly: money.nullable(),
  ratePercent: z.number(),
  termMonths: z.number().int().positive(),
  openedOn: isoDate,
  maturityOn: isoDate,
  paidInstalments: z.number().int().min(0).nullable(),
  missedInstalments: z.number().int().min(0),
  autoRollover: z.boolean(),
  expectedInterest: money,
});

export const instalmentSchema = z.object({
  number: z.number().int().positive(),
  dueOn: isoDate,
  amount: money,
  status: z.enum(["paid", "missed", "due", "upcoming"]),
});

export const cardReplacementSchema = z.object({
  id: z.string().min(1),
  card: cardSchema,
  replacementLast4: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
  status: z.enum(["ordered", "not_ordered"]),
  estimatedDeliveryOn: isoDate.nullable(),
});

export const contactDetailsSchema = z.object({
  // E.164, as SMS providers take it.
  phone: z
    .string()
    .regex(/^\+[1-9]\d{4,14}$/, "expected an E.164 phone number")
    .nullable(),
  email: z.email().nullable(),
});

export const accountsBody = z.object({ accounts: z.array(accountSchema) });
export const cardsBody = z.object({ cards: z.array(cardSchema) });
export const transactionPageBody = z.object({ items: z.array(transactionSchema), nextCursor: z.string().min(1).nullable() });
export const depositsBody = z.object({ deposits: z.array(depositSchema) });
export const scheduleBody = z.object({ instalments: z.array(instalmentSchema) });

/** RFC 9457 problem details: what the core answers with any 4xx or 5xx. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  detail: z.string().optional(),
  code: z.string().optional(),
});

/** The OAuth2 token endpoint's answer (RFC 6749 §5.1). */
export const tokenBody = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === "bearer", "expected a Bearer token"),
  expires_in: z.number().positive().optional(),
});
