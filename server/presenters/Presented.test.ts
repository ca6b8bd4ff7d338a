import { describe, expect, it } from "vitest";
import type { Conversation, ConversationSummary, Message } from "../../shared/wire/index.ts";
import type { ConversationRow } from "../models/conversations.ts";
import { presentConversation } from "./presentConversation.ts";
import type { Presented } from "./Presented.ts";

const row: ConversationRow = {
  id: "c1",
  display_id: 7,
  inbox_id: "i1",
  contact_id: "k1",
  status: "open",
  priority: "high",
  assignee_id: "a1",
  team_id: null,
  labels: ["cards"],
  handoff_reason: "customer_request",
  snoozed_until: null,
  waiting_since: new Date("2026-12-01T10:00:05Z"),
  first_reply_at: null,
  handed_off_at: new Date("2026-12-01T10:00:05Z"),
  resolved_at: null,
  last_seq: 4,
  status_version: 2,
  last_activity_at: new Date("2026-12-01T10:01:00Z"),
  sentiment_label: "negative",
  sentiment_score: -0.6,
  bot_state: { intent: "lost_card" },
  external_ref: null,
  created_at: new Date("2026-12-01T10:00:00Z"),
  updated_at: new Date("2026-12-01T10:01:00Z"),
};

describe("presenters against the wire contract (shared/wire)", () => {
  it("put on the wire exactly the contract's fields, timestamps as ISO strings", () => {
    const agents: Conversation = JSON.parse(JSON.stringify(presentConversation(row)));
    expect(Object.keys(agents).sort()).toEqual(
      [
        "id",
        "displayId",
        "inboxId",
        "contactId",
        "status",
        "statusVersion",
        "priority",
        "assigneeId",
        "teamId",
        "labels",
        "handoffReason",
        "snoozedUntil",
        "waitingSince",
        "firstReplyAt",
        "handedOffAt",
        "resolvedAt",
        "lastSeq",
        "lastActivityAt",
        "sentiment",
        "createdAt",
      ].sort(),
    );
    expect(agents.handedOffAt).toBe("2026-12-01T10:00:05.000Z");
    const customer: ConversationSummary = JSON.parse(JSON.stringify(presentConversation(row, "contact")));
    // Never the bot's state, the team or the sentiment: a customer gets the summary only.
    expect(customer).toEqual({
      id: "c1",
      displayId: 7,
      status: "open",
      statusVersion: 2,
      lastSeq: 4,
      createdAt: "2026-12-01T10:00:00.000Z",
      lastActivityAt: "2026-12-01T10:01:00.000Z",
    });
  });

  it("type-checks a Date where the wire has a string, and refuses a drift (checked by npm run typecheck)", () => {
    const ok: Presented<Pick<Message, "createdAt" | "seq">> = { createdAt: new Date(), seq: 1 };
    // @ts-expect-error a Date is no stand-in for a status, a literal union
    const wrongStatus: Presented<Pick<Conversation, "status">> = { status: new Date() };
    // @ts-expect-error a presenter that drops a field a client reads does not type-check
    const dropped: Presented<Pick<Conversation, "id" | "labels">> = { id: "c1" };
    expect([ok, wrongStatus, dropped]).toHaveLength(3);
  });
});
