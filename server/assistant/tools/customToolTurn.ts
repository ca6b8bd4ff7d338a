import type { Language } from "../language.ts";
import type { RiskLevel } from "../../stepup/stepUpPolicy.ts";
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

/** Chinese ordinals a customer may answer a numbered choice with ("第二个"). */
const ZH_ORDINAL: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** "2", "2.", "#2", "option 2", "no. 2", "第2个", "第二项", "2号": the number of one of a numbered list's options. */
const OPTION_NUMBER = /^(?:#|option|number|no\.?|第)?\s*([1-9]|[一二两三四五六七八九])\s*(?:[.。、)）]|个|項|项|号|號)?$/;

/** The option a customer picked by its number in a list offered to them (1-based), if their message is one. */
export function optionNumber(message: string): number | undefined {
  const m = OPTION_NUMBER.exec(message.normalize("NFKC").trim().toLowerCase());
  if (!m) return undefined;
  return ZH_ORDINAL[m[1]!] ?? Number(m[1]);
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
  const said = message.trim().toLowerCase();
  const n = optionNumber(message);
  const numbered = n !== undefined ? offered[n - 1] : undefined;
  return tools.find((t) => offered.includes(t.name) && (t.name === numbered || t.definition.label[language].trim().toLowerCase() === said));
}

/** The choice between several tools as the customer reads it on any channel: each label, numbered. */
export function numberedChoices(tools: StoredCustomTool[], language: Language): string {
  return tools.map((t, i) => `${i + 1}. ${t.definition.label[language]}`).join("\n");
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
