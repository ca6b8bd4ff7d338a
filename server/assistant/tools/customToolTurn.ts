import type { Language } from "../language.ts";
import { chosenIndex, numberedList } from "../choices.ts";
import type { RiskLevel } from "../../../shared/wire/index.ts";
import type { StoredCustomTool } from "../../customTools/customToolStore.ts";
import type { CallInput, CallResult } from "../../customTools/callCustomTool.ts";
import { compileProperty, type ParametersSchema } from "../../customTools/definition.ts";
import { extractParameters } from "../../customTools/extractParameters.ts";

/** What the assistant needs of the bank's own tools: the enabled ones, and a call (audited by the caller's side). */
export interface CustomToolsPort {
  enabled(): Promise<StoredCustomTool[]>;
  call(tool: StoredCustomTool, input: Omit<CallInput, "actor">): Promise<CallResult>;
}

/** How a custom tool's step-up is decided, as TOOL_RISK decides the built-in ones'. */
export function customToolRisk(tool: StoredCustomTool): RiskLevel | null {
  if (tool.definition.changesSomething) return "high";
  // A verified-only tool reads the customer's own matters (a delivery, an application).
  return tool.definition.requiresVerifiedCustomer ? "medium" : null;
}

/** The step-up purpose and trace name of a custom tool (never a built-in tool's name: those are refused). */
export const customPurpose = (name: string) => `custom:${name}`;

/**
 * The tool a message starts offline: one of its keywords in the message (any case), or
 * the recognised intent among its intents. The first defined (by name) wins.
 */
export function matchCustomTools(
  tools: StoredCustomTool[],
  message: string,
  intent: { name: string; confidence: number },
): StoredCustomTool[] {
  const lower = message.toLowerCase();
  // A tool the customer named by its keyword is meant more surely than one an intent points at.
  const named = tools.filter((t) => t.definition.triggers.keywords.some((k) => lower.includes(k.toLowerCase())));
  if (named.length) return named;
  return tools.filter((t) => intent.confidence >= 0.5 && t.definition.triggers.intents.includes(intent.name));
}

/**
 * The tool among those offered (in the order offered) that the customer chose: by its
 * label (the quick reply's text, or typed) or by its number in the list the reply gave.
 */
export function chosenTool(
  tools: StoredCustomTool[],
  offered: string[],
  message: string,
  language: Language,
): StoredCustomTool | undefined {
  const offeredTools = offered.map((name) => tools.find((t) => t.name === name));
  const i = chosenIndex(
    message,
    offeredTools.map((t) => t?.definition.label[language] ?? ""),
  );
  return i === undefined ? undefined : offeredTools[i];
}

/** The choice between several tools as the customer reads it on any channel: each label, numbered. */
export function numberedChoices(tools: StoredCustomTool[], language: Language): string {
  return numberedList(tools.map((t) => t.definition.label[language]));
}

/** The inputs a message gives, read by type, with valid arguments a model chose added. */
export function inputsFrom(schema: ParametersSchema, message: string, modelArgs: Record<string, unknown> = {}): Record<string, unknown> {
  const found = extractParameters(schema, message);
  for (const [k, v] of Object.entries(modelArgs)) {
    const p = schema.properties[k];
    if (p && compileProperty(p).safeParse(v).success) found[k] = v;
  }
  return found;
}

/** The first required input still missing. */
export function missingInput(schema: ParametersSchema, params: Record<string, unknown>): string | undefined {
  return schema.required.find((k) => params[k] === undefined);
}

/** How an input is named to the customer: its title, else its description, else its name. */
export function inputName(schema: ParametersSchema, key: string): string {
  const p = schema.properties[key];
  return p?.title ?? p?.description ?? key;
}

/** The inputs of a change, listed for the customer to confirm. */
export function confirmationDetails(schema: ParametersSchema, params: Record<string, unknown>): string {
  const lines = Object.entries(params).map(([k, v]) => `- ${inputName(schema, k)}: ${String(v)}`);
  return lines.length ? `\n${lines.join("\n")}` : "";
}
