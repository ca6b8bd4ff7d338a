import crypto from "node:crypto";
import type { StoredCustomTool } from "../../customTools/customToolStore.ts";
import { handoffReply } from "../handoffReply.ts";
import { say } from "../replies.ts";
import { talkToPerson, tracer, type ReplyFn, type Turn } from "../turn.ts";
import type { AssistantInput, AssistantReply, BotState, PendingConfirmation, ResumedReply, TraceEntry } from "../types.ts";
import { askStepUp, needsCode } from "./askStepUp.ts";
import {
  confirmationDetails,
  customPurpose,
  customToolRisk,
  inputName,
  inputsFrom,
  missingInput,
  type CustomToolsPort,
} from "./customToolTurn.ts";
import { CONFIRM_TTL_MS, yesNo } from "./outcome.ts";

/**
 * One of the bank's own tools, for this message: the customer's verification and
 * step-up checked as for the built-in tools, a missing input asked for, a change
 * proposed for a yes; otherwise called, and its reply rendered. A failure is said
 * as such and handed to a person — the assistant never answers in its place.
 * The turn's language is the one the tool speaks (an input's answer keeps its question's).
 */
export async function runCustomTool(
  customTools: CustomToolsPort,
  turn: Turn,
  tool: StoredCustomTool,
  params: Record<string, unknown>,
  state: BotState,
): Promise<AssistantReply> {
  const { input, text, language, step, reply } = turn;
  const d = tool.definition;
  const purpose = customPurpose(tool.name);
  const action = d.label[language];
  if (d.requiresVerifiedCustomer && !input.verifiedCustomerId) {
    step(
      "tool",
      () => null,
      () => ({ tool: purpose, version: tool.version, refused: "not_verified" }),
    );
    const then = d.changesSomething ? say("signInToAct", language) : say("signIn", language);
    return reply({ reply: then, botState: { ...state, lastAction: "tool" } });
  }
  const risk = customToolRisk(tool);
  if (await needsCode(input, risk)) return askStepUp(reply, state, purpose, risk!, text, language, step, action, params);
  const missing = missingInput(d.parameters, params);
  if (missing) {
    step(
      "tool",
      () => null,
      () => ({ tool: purpose, version: tool.version, asking: missing }),
    );
    return reply({
      reply: say("customAsk", language, { action, what: inputName(d.parameters, missing) }),
      quickReplies: [talkToPerson(language)],
      botState: {
        ...state,
        lastAction: "tool",
        pendingStepUp: undefined,
        pendingCustomTool: {
          name: tool.name,
          version: tool.version,
          params,
          asking: missing,
          language,
          expiresAt: Date.now() + CONFIRM_TTL_MS,
        },
      },
    });
  }
  if (d.changesSomething) {
    step(
      "tool",
      () => null,
      () => ({ tool: purpose, version: tool.version, confirm: true }),
    );
    return reply({
      reply: say("customConfirm", language, { action, details: confirmationDetails(d.parameters, params) }),
      quickReplies: yesNo(language),
      botState: {
        ...state,
        lastAction: "confirm",
        pendingStepUp: undefined,
        pendingConfirmation: {
          tool: "custom",
          name: tool.name,
          version: tool.version,
          params,
          expiresAt: Date.now() + CONFIRM_TTL_MS,
          requestId: crypto.randomUUID(),
          request: text,
        },
      },
    });
  }
  const result = await callCustomTool(customTools, turn, tool, params);
  if (!result.ok) return customToolFailed(turn, action, state);
  return reply({
    reply: result.reply,
    quickReplies: [talkToPerson(language)],
    botState: { ...state, lastAction: "tool", pendingStepUp: undefined, lowConfidenceTurns: 0 },
  });
}

/** The yes to a custom tool's change: called with the key fixed when it was proposed, at the version proposed. */
export async function confirmCustomChange(
  customTools: CustomToolsPort | undefined,
  turn: Turn,
  pending: Extract<PendingConfirmation, { tool: "custom" }>,
  next: BotState,
): Promise<AssistantReply> {
  const { language, reply } = turn;
  const tool = (await customTools?.enabled())?.find((t) => t.name === pending.name);
  // Edited or turned off since it was proposed: what the customer agreed to is not what would run.
  if (!tool || tool.version !== pending.version) return reply({ reply: say("customToolChanged", language), botState: next });
  const result = await callCustomTool(customTools!, turn, tool, pending.params, pending.requestId);
  if (!result.ok) return customToolFailed(turn, tool.definition.label[language], next);
  return reply({
    reply: result.reply,
    botState: next,
    sideEffect: {
      tool: `custom_tool.${tool.name}`,
      target: `custom_tool:${tool.name}@v${tool.version}`,
      result: JSON.stringify({ status: result.status }),
    },
  });
}

/** The call, traced by outcome and status only (the trace is stored with the reply: no inputs, no response). */
function callCustomTool(
  customTools: CustomToolsPort,
  turn: Pick<Turn, "input" | "language" | "step">,
  tool: StoredCustomTool,
  params: Record<string, unknown>,
  idempotencyKey?: string,
) {
  const { input, language, step } = turn;
  return step(
    "tool",
    () =>
      customTools.call(tool, {
        params,
        language,
        customerId: input.verifiedCustomerId,
        conversationId: input.conversationId,
        idempotencyKey,
      }),
    (r) => ({
      tool: customPurpose(tool.name),
      version: tool.version,
      outcome: r.ok ? "ok" : r.failure,
      status: r.status ?? null,
      ...(idempotencyKey ? { confirmed: true } : {}),
    }),
  );
}

function customToolFailed(turn: Turn, action: string, state: BotState): Promise<AssistantReply> {
  return handoffReply(turn, "tool_failed", state, { lead: say("customToolFailed", turn.language, { action }) });
}

/** After a step-up a custom tool waited for: it runs as it would have then (a change still waits for a yes). */
export async function resumeCustomTool(
  customTools: CustomToolsPort | undefined,
  input: { verifiedCustomerId: string; botState: BotState; challengeId: string; conversationId?: string },
  p: NonNullable<BotState["pendingStepUp"]>,
): Promise<ResumedReply | null> {
  const tool = (await customTools?.enabled())?.find((t) => customPurpose(t.name) === p.tool);
  if (!tool) return null;
  const trace: TraceEntry[] = [];
  const state: BotState = { ...input.botState, pendingStepUp: undefined };
  const base = {
    language: p.language,
    sentiment: { label: "neutral" as const, score: 0, trend: "stable" as const },
    intent: { name: "", confidence: 0, action: "" },
    redactedText: p.text,
    trace,
  };
  const replyFn: ReplyFn = (r) => ({
    ...base,
    reply: r.reply,
    citations: [],
    quickReplies: r.quickReplies ?? [],
    handoff: r.handoff ?? { needed: false, reason: null },
    botState: r.botState ?? state,
    rejectedAnswer: false,
  });
  const stepInput: AssistantInput = {
    text: p.text,
    verifiedCustomerId: input.verifiedCustomerId,
    botState: state,
    history: [],
    conversationId: input.conversationId,
  };
  // The inputs read before the step-up (a phone number the masked text no longer holds), each
  // checked again against the tool's schema (it may have been edited since).
  const params = inputsFrom(tool.definition.parameters, p.text, p.params);
  const turn: Turn = {
    input: stepInput,
    text: p.text,
    language: p.language,
    replyLanguage: p.language,
    step: tracer(trace),
    reply: replyFn,
    intentName: "",
    sentimentLabel: "neutral",
  };
  const r = await runCustomTool(customTools!, turn, tool, params, state);
  if (r.handoff.needed) {
    return {
      unavailable: true,
      language: p.language,
      botState: { ...r.botState, pendingStepUp: undefined },
      trace,
      failedTool: tool.definition.label[p.language],
    };
  }
  return {
    reply: `${say("stepUpDone", p.language)}\n\n${r.reply}`,
    quickReplies: r.quickReplies,
    language: p.language,
    botState: r.botState,
    trace,
  };
}
