import type { ChatItem } from "./chat.ts";
import { HUMAN } from "./text.ts";
import type { QuickReply } from "./types.ts";

/**
 * The suggested replies under the conversation: those of the latest message when it is the
 * assistant's or an agent's and has finished streaming; none once the customer has written.
 */
export function quickRepliesOf(items: ChatItem[]): QuickReply[] {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.type === "activity") continue;
    if ((it.sender === "bot" || it.sender === "agent") && !it.streaming && Array.isArray(it.attributes.quickReplies)) {
      // "Talk to a person" has its own permanent chip.
      return it.attributes.quickReplies.filter((q) => q && typeof q.label === "string" && q.label.trim() && !HUMAN.test(q.text || q.label));
    }
    break;
  }
  return [];
}
