import type { Socket } from "socket.io";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { on } from "../services/realtime/socketHandler.ts";
import { verifyStepUp } from "../commands/verifyStepUp.ts";
import { resendStepUpCode } from "../commands/resendStepUpCode.ts";
import { authorizeRead } from "../policies/conversationPolicy.ts";
import { CODE_DIGITS } from "./oneTimeCode.ts";

const ids = { conversationId: z.string().uuid(), challengeId: z.string().uuid() };
// Built once, not per connection: every customer's socket shares them (services/realtime/widgetRequestSchemas.ts says why).
const verifySchema = z
  .object({
    ...ids,
    code: z
      .string()
      .trim()
      .regex(new RegExp(`^\\d{${CODE_DIGITS}}$`), `The code has ${CODE_DIGITS} digits`),
  })
  .strict();
const resendSchema = z.object(ids).strict();

/**
 * The widget's step-up events: the code the customer typed in the code box, and a
 * request for another code. Validated like every widget event, answered through the
 * acknowledgement; the session and the conversation are checked first (`stillValid`,
 * the namespace's own check), and the challenge must be this customer's in it.
 * Rate-limited per customer (limitWidgetEvents) on top of the attempts per code.
 */
export function stepUpSocketEvents(
  socket: Socket,
  ctx: AppContext,
  actor: { type: "contact"; id: string; verified: boolean },
  stillValid: (conversationId?: string) => Promise<ConversationRow | undefined>,
) {
  on(socket, ctx.logger, "stepup:verify", verifySchema, async (p) => {
    const c = authorizeRead(actor, await stillValid(p.conversationId));
    return { ...(await verifyStepUp(ctx, { contactId: actor.id, conversationId: c.id, challengeId: p.challengeId, code: p.code })) };
  });

  on(socket, ctx.logger, "stepup:resend", resendSchema, async (p) => {
    const c = authorizeRead(actor, await stillValid(p.conversationId));
    return { ...(await resendStepUpCode(ctx, { contactId: actor.id, conversationId: c.id, challengeId: p.challengeId })) };
  });
}
