import type { HistoryTurn } from "./types.ts";
import { redactText } from "../privacy/redact.ts";

const REASON_TEXT: Record<string, string> = {
  explicit_request: "the customer asked for a person",
  negative_sentiment: "the customer is upset",
  sensitive_topic: "a sensitive topic (handled by people only)",
  low_confidence: "the assistant could not answer",
  rejected_answers: "the customer rejected the assistant's answers",
  error: "the assistant failed",
  channel_rule: "the channel has no assistant",
  complaint: "a complaint: a case was opened and the customer was given its reference and deadline (see Cases)",
  tool_failed:
    "one of the bank's own tools failed or did not answer in time (see the audit log's custom_tool.called); if the customer had confirmed a change, check whether it was made",
  core_banking_unavailable:
    "the bank's core system did not answer (busy, down or too slow); if the customer had confirmed a change, check in the core whether it was made",
};

/**
 * The private note an agent reads first: why the bot handed off, what the customer
 * wants (intent), their mood, and the last customer messages (redacted).
 */
export function summarizeForHandoff(p: {
  reason: string;
  intent: string;
  sentiment: string;
  history: HistoryTurn[];
  lastMessage: string;
  verified: boolean;
}): string {
  const asks = [...p.history.filter((h) => h.role === "customer").map((h) => h.text), p.lastMessage]
    .slice(-3)
    .map((t) => `“${redactText(t).text.slice(0, 200)}”`);
  return [
    `Handed off: ${REASON_TEXT[p.reason] ?? p.reason} (${p.reason}).`,
    `Topic: ${p.intent.replace(/_/g, " ")}. Mood: ${p.sentiment}. Identity: ${p.verified ? "verified customer" : "not verified"}.`,
    `Customer said: ${asks.join(" → ")}`,
  ].join("\n");
}

/** Which team a topic goes to (team slugs of the demo bank; unknown slugs fall back to the inbox's team). */
export function teamForIntent(intent: string): string | undefined {
  if (["fraud_report", "complaint", "bereavement", "vulnerable_customer"].includes(intent)) return "care";
  if (
    [
      "lost_card",
      "report_card_lost",
      "freeze_card",
      "unfreeze_card",
      "card_declined",
      "credit_card_points",
      "credit_card_instalment",
      "credit_card_repayment",
      "reset_pin",
    ].includes(intent)
  )
    return "cards";
  if (["deposit_maturity", "time_deposit", "instalment_savings", "make_up_instalment"].includes(intent)) return "deposits";
  return undefined;
}
