import { z } from "zod";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "../../attachments/commands/claimAttachments.ts";
import { contactEmail } from "../../conversations/preChatForm.ts";
import { ANSWER_RATINGS } from "../../models/answerFeedback.ts";

const clientId = z.string().min(1).max(100);
const conversationId = z.string().uuid();

/**
 * The payloads of the widget's requests (widgetNamespace.ts validates each with its
 * schema), built once per namespace and shared by every socket. Built per connection,
 * as they were, zod 4 compiled each socket's schemas anew: about 100 kB of heap per
 * connected customer (1,000 sockets' schemas held 106 MB), each socket's first parse
 * 1.3 ms of compiling on the web process's event loop and later ones 4× a shared
 * schema's. With 2,000 customers connected the web's heap peaked at 332–337 MB against
 * 109–158 MB with shared schemas, and its garbage collections were the longest pauses of
 * its loop (eval/bench/messagePath.ts; README, "Session 16").
 */
export function widgetRequestSchemas(maxMessageLength: number) {
  return {
    createConversation: z.object({}).strict(),
    sendMessage: z.object({
      conversationId: conversationId.optional(),
      clientId,
      content: z.string().max(maxMessageLength, `A message may have at most ${maxMessageLength} characters`),
      attachmentIds: z.array(z.string().uuid()).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
    }),
    syncMessages: z.object({ conversationId, afterSeq: z.number().int().min(0) }),
    followUp: z.object({ conversationId, clientId, email: contactEmail }),
    transcript: z.object({ conversationId, email: contactEmail }),
    typing: z.object({ conversationId, typing: z.boolean() }),
    csat: z.object({
      conversationId,
      rating: z.number().int().min(1).max(5),
      comment: z.string().trim().max(1000).optional(),
    }),
    nps: z.object({
      conversationId,
      score: z.number().int().min(0).max(10),
      comment: z.string().trim().max(1000).optional(),
    }),
    feedback: z.object({ conversationId, messageId: z.string().uuid(), rating: z.enum(ANSWER_RATINGS) }),
  };
}

export type WidgetRequestSchemas = ReturnType<typeof widgetRequestSchemas>;
