import { z } from "zod";
import { PRIORITIES } from "../models/conversations.ts";
import { CALENDARS } from "../cases/businessCalendar.ts";

/** A target in minutes: at least one, at most a year. */
const minutes = z.number().int().min(1, "At least one minute").max(525_600, "At most a year");

const conditions = z
  .object({
    inboxIds: z.array(z.string().uuid()).max(50).default([]),
    teamIds: z.array(z.string().uuid()).max(50).default([]),
    priorities: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).default([]),
    labels: z.array(z.string().trim().toLowerCase().min(1).max(50)).max(50).default([]),
  })
  .strict();

/** An SLA policy as an admin writes it (POST /api/v1/sla-policies). */
export const slaPolicyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    position: z.number().int().min(0).max(10_000).default(100),
    active: z.boolean().default(true),
    firstResponseMinutes: minutes.nullable().default(null),
    nextResponseMinutes: minutes.nullable().default(null),
    resolutionMinutes: minutes.nullable().default(null),
    businessHours: z.boolean().default(true),
    holidayCalendar: z.enum(CALENDARS).nullable().default(null),
    conditions: conditions.default({ inboxIds: [], teamIds: [], priorities: [], labels: [] }),
  })
  .strict()
  .refine((p) => p.firstResponseMinutes || p.nextResponseMinutes || p.resolutionMinutes, {
    message: "Set at least one target (first response, next response or resolution)",
    path: ["firstResponseMinutes"],
  });

/** A change to a policy (PATCH): the fields given replace theirs; conditions given are replaced whole. */
export const slaPolicyUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
    firstResponseMinutes: minutes.nullable().optional(),
    nextResponseMinutes: minutes.nullable().optional(),
    resolutionMinutes: minutes.nullable().optional(),
    businessHours: z.boolean().optional(),
    holidayCalendar: z.enum(CALENDARS).nullable().optional(),
    conditions: conditions.optional(),
  })
  .strict();

export type SlaPolicyInput = z.infer<typeof slaPolicyCreateSchema>;
export type SlaPolicyChange = z.infer<typeof slaPolicyUpdateSchema>;
