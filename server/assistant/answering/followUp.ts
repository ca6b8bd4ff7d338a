import { tokenize } from "../../knowledge/text.ts";

/** Opens or closes a message that leans on what came before: "and...", "what about...", "那…呢". */
const LEANS_ON_BEFORE =
  /^\s*(and|also|plus|what about|how about|same for|ok(ay)? (and|what|how|so)|so|then|but|what if|and if|if so)\b|^\s*(那|那么|还有|另外|再问|如果|要是)|呢[？?。.!！]*\s*$/i;
/** Fewer topical words than this and the message cannot stand alone. */
const SHORT = 4;

/**
 * The earlier turns a follow-up needs, or undefined when the message stands on its
 * own. "And what does it cost?" after a question about transfers abroad is about
 * transfers abroad; "what about credit cards?" keeps the question and changes the
 * product. The customer's previous messages (newest first, two at most) are the
 * context: the bot's own replies would drag their whole topic along.
 */
export function followUpContext(text: string, earlierCustomerTurns: string[]): string | undefined {
  if (!earlierCustomerTurns.length) return undefined;
  const own = new Set(tokenize(text)).size;
  if (!LEANS_ON_BEFORE.test(text) && own >= SHORT) return undefined;
  return earlierCustomerTurns.slice(-2).reverse().join("\n");
}
