import { z } from "zod";
import type { Module } from "../Module.ts";
import { SIGNED_IN_CONVERSATION_SQL } from "../contacts/signedInConversation.ts";
import { STEP_UP_RESUME_JOB } from "../commands/verifyStepUp.ts";
import { resumeAfterStepUp } from "../assistant/resumeAfterStepUp.ts";
import { findConversation, findInbox } from "../conversations/queries.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { AppError } from "../errors.ts";
import { presentStepUp } from "../presenters/presentStepUp.ts";
import { latestChallenge, lastVerified } from "./challenges.ts";
import { stepUpPolicy } from "./stepUpPolicy.ts";
import type { ConversationVerification } from "../../shared/wire/index.ts";

/**
 * Step-up verification in the conversation (issue #16 §3): the job that carries on
 * with an action once its code is verified, and what agents see of it. The codes
 * are asked for by the assistant (assistantModule → requestStepUp) and typed in the
 * widget (services/realtime/widgetNamespace → stepUpSocketEvents).
 */
export const stepUpModule: Module = {
  name: "stepup",

  tasks(ctx) {
    ctx.queue.register(STEP_UP_RESUME_JOB, (data: { conversationId: string; challengeId: string }) => resumeAfterStepUp(ctx, data), {
      attempts: 3,
      backoffMs: 500,
    });
  },

  routes(api, ctx) {
    api.add({
      method: "get",
      path: "/conversations/{id}/verification",
      tag: "conversations",
      summary:
        "How the conversation's customer is verified: the page identity (signed) and the latest step-up (one-time code, channel, when, until when it counts)",
      auth: "agent",
      params: z.object({ id: z.string().uuid() }),
      handler: async ({ params, actor }): Promise<ConversationVerification> => {
        if (actor.type !== "agent" || actor.role === "content") throw new AppError("forbidden", "Agents only");
        const c = authorizeRead(actor, await findConversation(ctx.db, params.id));
        const [contact, inbox, verified, latest] = await Promise.all([
          ctx.db.query<{ verified: boolean; external_id: string | null }>(
            `SELECT ${SIGNED_IN_CONVERSATION_SQL} AS verified, ct.external_id
             FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN inboxes i ON i.id = c.inbox_id WHERE c.id = $1`,
            [c.id],
          ),
          findInbox(ctx.db, c.inbox_id),
          lastVerified(ctx.db, c.id),
          latestChallenge(ctx.db, c.id),
        ]);
        const policy = stepUpPolicy(inbox?.settings.stepUp);
        const now = new Date();
        const customer = contact.rows[0];
        // A code passed for another customer id (someone who signed in as another since) says nothing of this one.
        const own = verified && verified.customer_id === customer?.external_id ? verified : undefined;
        return {
          identity: customer?.verified ? "signed" : "none",
          customerId: customer?.verified ? customer.external_id : null,
          requires: policy.requires,
          stepUp: own
            ? {
                ...presentStepUp(own, now),
                validUntil: new Date(own.verified_at!.getTime() + policy.validMs).toISOString(),
                current: own.verified_at!.getTime() + policy.validMs > now.getTime(),
              }
            : null,
          // A code asked for and not (yet) passed: agents see the customer is mid-way, or locked out.
          pending: latest && latest.status !== "verified" ? presentStepUp(latest, now) : null,
        };
      },
    });
  },
};
