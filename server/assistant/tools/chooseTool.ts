import type { StoredCustomTool } from "../../customTools/customToolStore.ts";
import { functionSpec } from "../../customTools/definition.ts";
import { INTENT_CONFIDENCE } from "../decideHandoff.ts";
import { OUT_OF_SCOPE } from "../intents/load.ts";
import type { Language } from "../language.ts";
import type { Turn } from "../turn.ts";
import { TOOL_NAMES, type ToolName } from "./accountTools.ts";
import { customPurpose, inputsFrom } from "./customToolTurn.ts";
import { asksToDispute } from "./disputeTransaction.ts";

/** A function a model may call besides the built-in tools: one of the bank's own tools (customTools/). */
export interface CustomFunction {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A custom tool a model chose, with the arguments it read from the message (checked before use). */
export interface CustomToolChoice {
  custom: string;
  args: Record<string, unknown>;
}

export interface ToolSelector {
  /** Which of the offered tools the customer's (redacted) message asks for, if any. */
  selectTool(input: {
    question: string;
    language: Language;
    tools: readonly ToolName[];
    custom?: readonly CustomFunction[];
  }): Promise<ToolName | CustomToolChoice | null>;
}

/** The tools a message asking for a dispute may have been read as: it is the dispute it asks for. */
const DISPUTE_NEIGHBOURS: readonly ToolName[] = ["transactions", "explain_transaction", "freeze_card", "dispute_transaction"];

/**
 * The tool this message asks for: chosen by the intent's action — or, when the intent
 * is unsure and an LLM is configured, by function calling (with the bank's own tools
 * the customer may use offered alongside). A built-in tool's name is what the intent
 * says (the caller checks it is one); one of the bank's tools comes with its inputs.
 */
export async function chooseTool(
  selector: ToolSelector | undefined,
  turn: Pick<Turn, "input" | "text" | "language" | "step">,
  intent: { name: string; confidence: number; action: string },
  customTools: StoredCustomTool[],
): Promise<ToolName | { custom: StoredCustomTool; params: Record<string, unknown> } | undefined> {
  const { input, text, language, step } = turn;
  let tool = intent.action.startsWith("tool:") && intent.confidence >= 0.5 ? (intent.action.slice(5) as ToolName) : undefined;
  // "I want to dispute it", "申诉": the dispute, when the intent points at a payment or a card, or is unsure.
  if (
    asksToDispute(text) &&
    (tool ? DISPUTE_NEIGHBOURS.includes(tool) : intent.name === OUT_OF_SCOPE || intent.confidence < INTENT_CONFIDENCE)
  )
    tool = "dispute_transaction";
  const usable = customTools.filter((t) => input.verifiedCustomerId || !t.definition.requiresVerifiedCustomer);
  if (
    !tool &&
    selector &&
    (input.verifiedCustomerId || usable.length) &&
    (intent.name === OUT_OF_SCOPE || intent.confidence < INTENT_CONFIDENCE)
  ) {
    const builtIn = input.verifiedCustomerId ? TOOL_NAMES : [];
    const picked = await step(
      "tool_select",
      () => selector.selectTool({ question: text, language, tools: builtIn, custom: usable.map((t) => functionSpec(t.definition)) }),
      (t) => ({
        offered: [...builtIn, ...usable.map((u) => customPurpose(u.name))],
        picked: t && typeof t === "object" ? customPurpose(t.custom) : t,
      }),
    );
    if (picked && typeof picked === "object") {
      const chosen = usable.find((t) => t.name === picked.custom);
      if (chosen) return { custom: chosen, params: inputsFrom(chosen.definition.parameters, input.text, picked.args) };
    } else if (picked && (builtIn as readonly string[]).includes(picked)) tool = picked;
  }
  return tool;
}
