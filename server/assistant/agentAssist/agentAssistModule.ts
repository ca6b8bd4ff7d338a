import { z } from "zod";
import type { Module } from "../../Module.ts";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { findConversation, listMessages } from "../../conversations/queries.ts";
import { authorizeRead } from "../../policies/conversationPolicy.ts";
import { AppError } from "../../errors.ts";
import type { AgentAssist } from "./AgentAssist.ts";
import { assistantFor } from "../assistantModule.ts";
import type { AnswerPreview } from "../../../shared/wire/index.ts";

const idParams = z.object({ id: z.string().uuid() });

/**
 * Agent assistance, loaded with its first request: with a model configured it brings
 * LangChain (generators/chatModel.ts), which a process that serves none need not hold.
 */
const agentAssistFor = async (ctx: AppContext): Promise<AgentAssist> => (await import("./AgentAssist.ts")).agentAssistFor(ctx);

/** Reads a conversation the agent may work on (agents and admins; not content editors), with its thread. */
async function load(ctx: AppContext, actor: Actor, id: string) {
  if (actor.type !== "agent" || actor.role === "content") throw new AppError("forbidden", "Agents only");
  const conversation = authorizeRead(actor, await findConversation(ctx.db, id));
  const [messages, contact] = await Promise.all([
    listMessages(ctx.db, conversation.id, { includePrivate: true, limit: 500 }),
    ctx.db.query<{ name: string | null; verified: boolean }>("SELECT name, verified FROM contacts WHERE id = $1", [
      conversation.contact_id,
    ]),
  ]);
  return { conversation, messages, contact: contact.rows[0] ?? { name: null, verified: false } };
}

/**
 * The console's AI assistance: suggest a reply (knowledge base, with citations),
 * summarise the conversation, improve the tone of a draft. Nothing here sends or
 * stores a message: the results go to the agent's composer or screen.
 */
export const agentAssistModule: Module = {
  name: "agent-assist",

  routes(api, ctx) {
    api.add({
      method: "post",
      path: "/assist/preview-answer",
      tag: "assist",
      summary: "What the assistant would answer to a question, as a new anonymous customer (nothing is stored)",
      auth: "agent",
      body: z.object({ text: z.string().trim().min(1).max(1000) }),
      handler: async ({ body, actor }): Promise<AnswerPreview> => {
        if (actor.type !== "agent") throw new AppError("forbidden", "Agents only");
        const { assistant } = await assistantFor(ctx);
        const r = await assistant.respond({ text: body.text, verifiedCustomerId: null, botState: {}, history: [] });
        const evidence = r.trace.find((t) => t.step === "evidence");
        return {
          answered: !r.handoff.needed && r.botState.lastAction === "answer",
          reply: r.reply,
          language: r.language,
          confidence: typeof evidence?.confidence === "number" ? evidence.confidence : null,
          citations: r.citations,
          handoff: { needed: r.handoff.needed, reason: r.handoff.reason },
          intent: r.intent.name,
        };
      },
    });

    api.add({
      method: "post",
      path: "/conversations/{id}/assist/suggest-reply",
      tag: "assist",
      summary: "Draft a reply to the customer's latest messages from the knowledge base, with citations (not sent)",
      auth: "agent",
      params: idParams,
      handler: async ({ params, actor }) => {
        const { conversation, messages } = await load(ctx, actor, params.id);
        return (await agentAssistFor(ctx)).suggestReply(conversation, messages);
      },
    });

    api.add({
      method: "post",
      path: "/conversations/{id}/assist/summary",
      tag: "assist",
      summary: "Summarise the conversation for the agent",
      auth: "agent",
      params: idParams,
      handler: async ({ params, actor }) => {
        const { conversation, messages, contact } = await load(ctx, actor, params.id);
        return (await agentAssistFor(ctx)).summarize(conversation, messages, contact);
      },
    });

    api.add({
      method: "post",
      path: "/conversations/{id}/assist/improve-tone",
      tag: "assist",
      summary: "Rewrite the agent's draft politely and clearly, keeping its facts (not sent)",
      auth: "agent",
      params: idParams,
      body: z.object({ text: z.string().trim().min(1).max(ctx.config.MAX_MESSAGE_LENGTH) }),
      handler: async ({ params, body, actor }) => {
        const { contact } = await load(ctx, actor, params.id);
        const r = await (await agentAssistFor(ctx)).improveTone(body.text, contact.name);
        if (r.text.length > ctx.config.MAX_MESSAGE_LENGTH) r.text = r.text.slice(0, ctx.config.MAX_MESSAGE_LENGTH);
        return r;
      },
    });
  },
};
