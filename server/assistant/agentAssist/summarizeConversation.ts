import type { MessageRow } from "../../models/conversations.ts";
import { redactText } from "../../privacy/redact.ts";

export interface SummaryInput {
  contactName: string | null;
  verified: boolean;
  status: string;
  handoffReason: string | null;
  sentimentLabel: string | null;
  messages: Pick<MessageRow, "message_type" | "sender_type" | "private" | "content" | "content_attributes" | "created_at">[];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const quote = (s: string) => `“${clip(redactText(s.replace(/\s+/g, " ").trim()).text, 160)}”`;

/**
 * The offline conversation summary: what the customer asked (first and latest
 * messages), what the assistant answered from (its sources) or declined, why it
 * was handed off, what agents said and noted, and what is still open. Built only
 * from the thread (redacted), nothing invented.
 */
export function summarizeOffline(input: SummaryInput): string {
  const msgs = input.messages.filter((m) => m.content.trim());
  const customer = msgs.filter((m) => m.message_type === "incoming");
  const bot = msgs.filter((m) => m.message_type === "outgoing" && m.sender_type === "bot");
  const agents = msgs.filter((m) => m.message_type === "outgoing" && m.sender_type === "agent" && !m.private);
  const notes = msgs.filter((m) => m.private && m.sender_type === "agent");
  const intents = [
    ...new Set(
      customer
        .map((m) => (m.content_attributes as { intent?: { name?: string } }).intent?.name)
        .filter((n): n is string => Boolean(n) && n !== "out_of_scope"),
    ),
  ];
  const sources = [
    ...new Set(
      bot.flatMap((m) => ((m.content_attributes as { citations?: Array<{ title: string }> }).citations ?? []).map((c) => c.title)),
    ),
  ];
  const declined = bot.filter((m) => (m.content_attributes as { declined?: boolean }).declined).length;

  const lines: string[] = [];
  lines.push(
    `Customer: ${input.contactName ?? "unknown"} (${input.verified ? "verified" : "not verified"}). Status: ${input.status}.` +
      (input.sentimentLabel ? ` Mood: ${input.sentimentLabel}.` : ""),
  );
  if (intents.length) lines.push(`Topics: ${intents.map((i) => i.replace(/_/g, " ")).join(", ")}.`);
  if (customer.length) {
    lines.push(`Asked first: ${quote(customer[0]!.content)}`);
    if (customer.length > 1) lines.push(`Latest from the customer: ${quote(customer[customer.length - 1]!.content)}`);
  }
  if (bot.length) {
    const parts = [`${bot.length} assistant ${bot.length === 1 ? "reply" : "replies"}`];
    if (sources.length) parts.push(`citing ${sources.slice(0, 4).join("; ")}`);
    if (declined) parts.push(`${declined} declined`);
    lines.push(`Assistant: ${parts.join(", ")}.`);
  }
  if (input.handoffReason) lines.push(`Handed off: ${input.handoffReason.replace(/_/g, " ")}.`);
  if (agents.length) lines.push(`Agents replied ${agents.length}×; last: ${quote(agents[agents.length - 1]!.content)}`);
  if (notes.length)
    lines.push(
      `Private notes: ${notes
        .map((n) => quote(n.content))
        .slice(-2)
        .join(" · ")}`,
    );
  const last = msgs.filter((m) => m.message_type !== "activity").at(-1);
  if (last?.message_type === "incoming") lines.push("Open: the customer's last message has no reply yet.");
  return lines.join("\n");
}

/** The thread as plain, redacted lines for a model prompt (private notes marked). */
export function transcript(messages: SummaryInput["messages"], maxChars = 6000): string {
  const lines = messages
    .filter((m) => m.message_type !== "activity" && m.content.trim())
    .map((m) => {
      const who =
        m.message_type === "incoming" ? "Customer" : m.sender_type === "bot" ? "Assistant" : m.private ? "Agent (private note)" : "Agent";
      return `${who}: ${clip(redactText(m.content.replace(/\s+/g, " ")).text, 500)}`;
    });
  // Keep the most recent lines within the budget.
  const out: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0 && size + lines[i]!.length < maxChars; i--) {
    out.unshift(lines[i]!);
    size += lines[i]!.length + 1;
  }
  return out.join("\n");
}
