import { z } from "zod";
import { AUTOMATION_CHANNELS, AUTOMATION_EVENTS, type AutomationAction, type AutomationConditions } from "../../shared/wire/index.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "../models/conversations.ts";

const label = z.string().trim().toLowerCase().min(1).max(50);

/** All-of conditions (automation/matchConditions.ts); each absent one holds. */
export const conditionsSchema = z
  .object({
    inboxIds: z.array(z.string().uuid()).min(1).max(50).optional(),
    channels: z.array(z.enum(AUTOMATION_CHANNELS)).min(1).max(AUTOMATION_CHANNELS.length).optional(),
    statuses: z.array(z.enum(CONVERSATION_STATUSES)).min(1).max(CONVERSATION_STATUSES.length).optional(),
    priorities: z.array(z.enum(PRIORITIES)).min(1).max(PRIORITIES.length).optional(),
    labels: z.array(label).min(1).max(20).optional(),
    contactAttribute: z
      .object({
        key: z
          .string()
          .trim()
          .min(1)
          .max(50)
          .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, _ . - only"),
        value: z.string().trim().min(1).max(200),
      })
      .strict()
      .optional(),
    vulnerable: z.boolean().optional(),
    sentimentNegative: z.boolean().optional(),
    keywords: z.array(z.string().trim().toLowerCase().min(1).max(100)).min(1).max(30).optional(),
    businessHours: z.enum(["within", "outside"]).optional(),
    segmentIds: z.array(z.string().uuid()).min(1).max(20).optional(),
  })
  .strict() satisfies z.ZodType<AutomationConditions>;

/** The actions, each one of the commands agents already have (automation/performActions.ts). */
export const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("assign_team"), teamId: z.string().uuid() }).strict(),
  z.object({ type: z.literal("assign_agent"), agentId: z.string().uuid() }).strict(),
  z.object({ type: z.literal("set_priority"), priority: z.enum(PRIORITIES) }).strict(),
  z.object({ type: z.literal("add_label"), label }).strict(),
  z.object({ type: z.literal("add_private_note"), content: z.string().trim().min(1).max(2000) }).strict(),
  z
    .object({
      type: z.literal("change_status"),
      status: z.enum(CONVERSATION_STATUSES),
      snoozeMinutes: z.number().int().min(1).max(43_200).optional(),
    })
    .strict()
    .refine((a) => (a.status === "snoozed") === (a.snoozeMinutes !== undefined), {
      message: "Snoozing needs snoozeMinutes (and only snoozing takes it)",
      path: ["snoozeMinutes"],
    }),
  z.object({ type: z.literal("send_webhook_event") }).strict(),
  z.object({ type: z.literal("send_canned_reply"), cannedResponseId: z.string().uuid() }).strict(),
]) satisfies z.ZodType<AutomationAction>;

const fields = {
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).nullable(),
  active: z.boolean(),
  event: z.enum(AUTOMATION_EVENTS),
  noReplyHours: z.number().min(0.05).max(720).nullable(),
  conditions: conditionsSchema,
  actions: z.array(actionSchema).min(1, "Give the rule at least one action").max(10),
};

const noReplyHoursFits = (r: { event?: string; noReplyHours?: number | null }) =>
  r.event === undefined || (r.event === "no_reply") === (r.noReplyHours !== null && r.noReplyHours !== undefined);
const noReplyMessage = { message: "`no_reply` rules need noReplyHours, and only they take it", path: ["noReplyHours"] };

/** A rule as an admin writes it (POST /api/v1/automation-rules). */
export const automationRuleCreateSchema = z
  .object({
    ...fields,
    description: fields.description.default(null),
    active: fields.active.default(true),
    noReplyHours: fields.noReplyHours.default(null),
    conditions: fields.conditions.default({}),
  })
  .strict()
  .refine(noReplyHoursFits, noReplyMessage);

/** A change (PATCH): the fields given replace theirs; conditions and actions given are replaced whole. */
export const automationRuleUpdateSchema = z
  .object({
    name: fields.name.optional(),
    description: fields.description.optional(),
    active: fields.active.optional(),
    event: fields.event.optional(),
    noReplyHours: fields.noReplyHours.optional(),
    conditions: fields.conditions.optional(),
    actions: fields.actions.optional(),
  })
  .strict();

export type AutomationRuleInput = z.infer<typeof automationRuleCreateSchema>;
export type AutomationRuleChange = z.infer<typeof automationRuleUpdateSchema>;
