import type { StoredCustomTool } from "../../customTools/customToolStore.ts";
import { answerFor } from "../../customTools/extractParameters.ts";
import { say } from "../replies.ts";
import { talkToPerson, type Turn } from "../turn.ts";
import type { AssistantReply, BotState } from "../types.ts";
import { chosenTool, inputName, inputsFrom, matchCustomTools, numberedChoices, type CustomToolsPort } from "./customToolTurn.ts";
import { runCustomTool } from "./runCustomTool.ts";

/** Bank tools offered when a message fits several, and how long the choice waits for the customer's tap. */
const MAX_TOOL_CHOICES = 4;
const PENDING_CHOICE_MS = 10 * 60_000;

/** The answer to an input a custom tool asked for: the tool runs with it, or it is asked for once more. */
export async function answerAskedInput(
  customTools: CustomToolsPort | undefined,
  turn: Turn,
  state: BotState,
  asked: NonNullable<BotState["pendingCustomTool"]>,
): Promise<AssistantReply | null> {
  if (!(asked.expiresAt > Date.now() && customTools)) return null;
  const { input, language } = turn;
  const tool = (await customTools.enabled()).find((t) => t.name === asked.name && t.version === asked.version);
  const p = tool?.definition.parameters.properties[asked.asking];
  if (!tool || !p) return null;
  // The customer's own words, unmasked: an input (a tracking or phone number) is what they are giving us.
  const value = answerFor(p, input.text);
  // An answer of only a number or a code is in no language: the question's is kept.
  const lang = asked.language;
  if (value !== null && value !== undefined) {
    const params = { ...asked.params, [asked.asking]: value };
    return await runCustomTool(customTools, { ...turn, language: lang }, tool, params, state);
  }
  if (!asked.retried) {
    const what = inputName(tool.definition.parameters, asked.asking);
    return turn.reply({
      reply: say("customAskAgain", lang, { what }),
      quickReplies: [talkToPerson(language)],
      botState: { ...state, lastAction: "tool", pendingCustomTool: { ...asked, retried: true } },
    });
  }
  return null;
}

/** Which of the bank's tools the customer meant, when their words fitted several: the one they tapped or numbered runs. */
export async function answerToolChoice(
  customTools: CustomToolsPort | undefined,
  turn: Turn,
  state: BotState,
  choice: NonNullable<BotState["pendingToolChoice"]>,
): Promise<AssistantReply | null> {
  if (!(choice.expiresAt > Date.now() && customTools)) return null;
  const { input } = turn;
  const picked = chosenTool(await customTools.enabled(), choice.names, input.text, choice.language);
  if (!picked) return null;
  // The first message's inputs (a tracking number) still count; a masked one is asked for.
  const params = inputsFrom(picked.definition.parameters, `${choice.request}\n${input.text}`);
  return await runCustomTool(customTools, { ...turn, language: choice.language }, picked, params, state);
}

/** The bank's own tools, started offline by their keywords or intents: the one that fits runs; of several, the customer chooses. */
export async function startCustomTool(
  customTools: CustomToolsPort | undefined,
  turn: Turn,
  state: BotState,
  enabled: StoredCustomTool[],
  intent: { name: string; confidence: number },
): Promise<AssistantReply | null> {
  const { input, text, language, reply } = turn;
  const fitting = matchCustomTools(enabled, input.text, intent);
  if (fitting.length > 1) {
    // "Which did you mean?": each by the name the customer reads, numbered in the text (SMS,
    // WhatsApp and e-mail show no buttons) and offered as quick replies where the widget shows them.
    const offered = fitting.slice(0, MAX_TOOL_CHOICES);
    return reply({
      reply: say("customWhich", language, { choices: numberedChoices(offered, language) }),
      quickReplies: [
        ...offered.map((t) => ({ label: t.definition.label[language], text: t.definition.label[language] })),
        talkToPerson(language),
      ],
      botState: {
        ...state,
        lastAction: "tool",
        pendingToolChoice: {
          names: offered.map((t) => t.name),
          // Masked: a card or phone number in it is asked for again rather than kept in the bot's state.
          request: text,
          language,
          expiresAt: Date.now() + PENDING_CHOICE_MS,
        },
      },
    });
  }
  const triggered = fitting[0];
  if (!triggered) return null;
  const params = inputsFrom(triggered.definition.parameters, input.text);
  return await runCustomTool(customTools!, turn, triggered, params, state);
}
