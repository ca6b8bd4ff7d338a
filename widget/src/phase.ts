import type { ChatItem } from "./chat.ts";
import type { ConversationStatus } from "./types.ts";
import type { ViewState } from "./ui/viewState.ts";

/** The name of the agent currently with the customer: the latest "joined" line or agent's reply that names one. */
export function agentNameOf(items: ChatItem[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.type === "activity" && it.attributes.kind === "assigned") return it.attributes.agentName ?? undefined;
    if (it.type === "outgoing" && it.sender === "agent" && it.senderName) return it.senderName;
  }
  return undefined;
}

/**
 * Who is on the other side: the assistant, nobody yet (handed off, waiting for a person), a person
 * (and their name), or no one (resolved).
 */
export function phaseOf(
  items: ChatItem[],
  status: ConversationStatus | undefined,
  handoffPending: boolean,
): { phase: ViewState["phase"]; agentName?: string } {
  if (status === "resolved") return { phase: "resolved" };
  if (status !== "open" && status !== "snoozed" && !handoffPending) return { phase: "assistant" };
  // Has a person joined since the conversation last went to the assistant?
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (
      it.type === "activity" &&
      it.attributes.kind === "status" &&
      (it.attributes.status === "pending" || it.attributes.status === "resolved")
    )
      break;
    if ((it.type === "activity" && it.attributes.kind === "assigned") || (it.type === "outgoing" && it.sender === "agent")) {
      return { phase: "agent", agentName: agentNameOf(items.slice(0, i + 1)) };
    }
  }
  return { phase: "waiting" };
}
