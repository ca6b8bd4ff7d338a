import { z } from "zod";
import { EARLY_WARNING_METRICS } from "../../shared/wire/index.ts";

const fields = {
  name: z.string().trim().min(1).max(120),
  metric: z.enum(EARLY_WARNING_METRICS),
  /** A count (complaints, breaches, times asked), or for negative_share a share above 0 and at most 1. */
  threshold: z.number().positive().max(100_000),
  /** From 5 minutes to 30 days; a day (1440) for "complaints per category per day". */
  windowMinutes: z.number().int().min(5, "At least 5 minutes").max(43_200, "At most 30 days"),
  minConversations: z.number().int().min(1).max(100_000),
  active: z.boolean(),
};

const shareIsAtMostOne = (t: { metric?: string; threshold?: number }) => t.metric !== "negative_share" || (t.threshold ?? 0) <= 1;
const shareMessage = { message: "A share of negative conversations is between 0 and 1 (0.3 is 30 %)", path: ["threshold"] };

/** A threshold as an admin writes it (POST /api/v1/early-warning/thresholds). */
export const thresholdCreateSchema = z
  .object({
    ...fields,
    /** The inbox it watches; absent or null: the organisation's. Fixed once made, as the metric. */
    inboxId: z.string().uuid("Pick an inbox").nullable().default(null),
    windowMinutes: fields.windowMinutes.default(1440),
    minConversations: fields.minConversations.default(10),
    active: fields.active.default(true),
  })
  .strict()
  .refine(shareIsAtMostOne, shareMessage);
export type ThresholdInput = z.infer<typeof thresholdCreateSchema>;

/** A change (PATCH): any field; the metric and the inbox stay what they were (a different one is a different threshold). */
export const thresholdUpdateSchema = z
  .object({
    name: fields.name.optional(),
    threshold: fields.threshold.optional(),
    windowMinutes: fields.windowMinutes.optional(),
    minConversations: fields.minConversations.optional(),
    active: fields.active.optional(),
  })
  .strict();
export type ThresholdChange = z.infer<typeof thresholdUpdateSchema>;
