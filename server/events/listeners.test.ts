import { describe, expect, it, vi } from "vitest";
import type { CaseRow } from "../cases/types.ts";
import { PRESETS } from "../cases/jurisdictions.ts";
import type { AppContext } from "../context.ts";
import type { ConversationRow, MessageRow } from "../models/conversations.ts";
import type { Broadcaster } from "../services/realtime/Broadcaster.ts";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../webhooks/types.ts";
import { EventBus, type DomainEvents } from "./EventBus.ts";
import { domainEventListeners, subscribeListeners } from "./listeners.ts";

const conversation: ConversationRow = {
  id: "c1",
  display_id: 1,
  inbox_id: "i1",
  contact_id: "k1",
  status: "pending",
  priority: "none",
  assignee_id: null,
  team_id: null,
  labels: [],
  handoff_reason: null,
  snoozed_until: null,
  waiting_since: null,
  first_reply_at: null,
  handed_off_at: null,
  resolved_at: null,
  last_seq: 1,
  status_version: 0,
  last_activity_at: new Date("2026-12-01T10:00:00Z"),
  sentiment_label: null,
  sentiment_score: null,
  bot_state: {},
  external_ref: null,
  created_at: new Date("2026-12-01T10:00:00Z"),
  updated_at: new Date("2026-12-01T10:00:00Z"),
};
const question: MessageRow = {
  id: "m1",
  conversation_id: "c1",
  seq: 1,
  message_type: "incoming",
  private: false,
  sender_type: "contact",
  sender_id: "k1",
  content: "I lost my card",
  content_attributes: {},
  attachments: [],
  client_id: "x1",
  created_at: new Date("2026-12-01T10:00:00Z"),
};
const complaint: CaseRow = {
  id: "case1",
  reference: "CR-2026-000001",
  contact_id: "k1",
  inbox_id: "i1",
  team_id: null,
  owner_id: null,
  handler_ids: [],
  source: "assistant",
  language: "zh",
  summary: "服务态度",
  category_id: null,
  product_id: null,
  severity: "medium",
  status: "received",
  escalated_to: null,
  jurisdiction: "cn",
  policy: PRESETS.cn,
  received_at: new Date("2026-12-01T10:00:00Z"),
  acknowledge_due_at: null,
  acknowledged_at: null,
  due_at: new Date("2026-12-22T16:00:00Z"),
  extensions: 0,
  final_response_at: null,
  closed_at: null,
  root_cause: null,
  remedy: {},
  details: {},
  request_key: null,
  anonymised_at: null,
  created_at: new Date("2026-12-01T10:00:00Z"),
  updated_at: new Date("2026-12-01T10:00:00Z"),
};
const payloads: { [E in WebhookEvent]: DomainEvents[E] } = {
  "case.created": { case: complaint },
  "case.status_changed": { case: { ...complaint, status: "acknowledged" }, from: "received", to: "acknowledged" },
  "case.clock_alert": { case: complaint, clock: "final_response", level: "near_breach", dueAt: complaint.due_at },
  "conversation.created": { conversation },
  "conversation.automation_fired": { conversation, rule: { id: "r1", name: "VIP escalation" }, event: "sla_breach" },
  "conversation.status_changed": { conversation: { ...conversation, status: "resolved" }, from: "pending", to: "resolved" },
  "conversation.handoff": { conversation: { ...conversation, status: "open" }, reason: "customer_request" },
  "message.created": { conversation, message: question },
  "csat.created": { conversation, rating: 5, comment: null },
  "nps.created": { conversation, score: 9, comment: "quick" },
  "early_warning.alert_raised": {
    alert: {
      id: "a1",
      threshold_id: "t1",
      threshold_name: "Fee complaints",
      metric: "complaints_per_category",
      inbox_id: null,
      inbox_name: null,
      subject: "fees_charges",
      label: "Fees, charges and interest",
      value: "5",
      threshold: "5",
      window_minutes: 1440,
      conversation_ids: [conversation.id],
      raised_at: new Date("2026-12-01T11:00:00Z"),
      recovered_at: null,
      acknowledged_by: null,
      acknowledged_at: null,
    },
  },
  "conversation.sla_breach": {
    conversation: { ...conversation, status: "open" },
    policy: {
      id: "p1",
      name: "Standard",
      position: 100,
      active: true,
      first_response_minutes: 60,
      next_response_minutes: null,
      resolution_minutes: null,
      business_hours: true,
      holiday_calendar: null,
      inbox_ids: [],
      team_ids: [],
      priorities: [],
      labels: [],
      created_at: conversation.created_at,
      updated_at: conversation.created_at,
    },
    metric: "first_response",
    dueAt: new Date("2026-12-01T11:00:00Z"),
  },
};

/** A process's bus with the table subscribed; what reaches sockets and the queue is written to `log`, in order. */
function listeningProcess(opts: { sockets: boolean }) {
  const log: string[] = [];
  const jobs: Array<{ name: string; data: unknown }> = [];
  const bus = new EventBus((err) => log.push(`failed: ${String(err)}`));
  const ctx = {
    bus,
    // Every webhook is subscribed to everything; the inbox is the website (no channel delivery).
    db: { query: async () => ({ rows: [{ id: "w1", events: [...WEBHOOK_EVENTS], channel: "web" }] }) },
    queue: {
      enqueue: async (name: string, data: unknown) => {
        log.push(`job ${name}`);
        jobs.push({ name, data });
      },
    },
    logger: { error: () => {}, warn: () => {}, info: () => {} },
  } as unknown as AppContext;
  const sockets: Broadcaster = {
    to: (namespace, rooms, event) => void log.push(`${namespace} ${event} → ${rooms.join(",")}`),
    disconnect: (namespace, rooms) => void log.push(`${namespace} close ${rooms.join(",")}`),
  };
  subscribeListeners(bus, domainEventListeners(ctx, { sockets: opts.sockets ? sockets : undefined }));
  return { bus, log, jobs };
}

describe("domain event listeners", () => {
  it("sends a customer's message to the sockets before the assistant's and the webhooks' jobs are queued", async () => {
    const { bus, log } = listeningProcess({ sockets: true });
    bus.emit("message.created", { conversation, message: question });
    await vi.waitFor(() => expect(log).toHaveLength(4));
    expect(log).toEqual([
      "/agent message → agents:admins,agents:unteamed",
      "/widget message → contact:k1",
      "job assistant.reply",
      "job webhooks.deliver",
    ]);
  });

  it("queues a webhook delivery for every event a webhook can subscribe to", async () => {
    const { bus, jobs } = listeningProcess({ sockets: true });
    for (const event of WEBHOOK_EVENTS) bus.emit(event, payloads[event] as never);
    await vi.waitFor(() => expect(jobs.filter((j) => j.name === "webhooks.deliver")).toHaveLength(WEBHOOK_EVENTS.length));
    const events = jobs.filter((j) => j.name === "webhooks.deliver").map((j) => (j.data as { body: { event: string } }).body.event);
    expect(events.sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it("in a process without sockets (a worker without Redis) still queues the jobs, and sends nothing", async () => {
    const { bus, log } = listeningProcess({ sockets: false });
    bus.emit("conversation.handoff", payloads["conversation.handoff"]);
    bus.emit("agent.presence_changed", { agentId: "a1", availability: "offline", previous: "online" });
    await vi.waitFor(() => expect(log).toHaveLength(3));
    expect(log.sort()).toEqual(["job assignment.assign", "job assignment.release", "job webhooks.deliver"]);
  });

  it("closes an agent's console sockets when their access changes", () => {
    const { bus, log } = listeningProcess({ sockets: true });
    bus.emit("agent.access_changed", { agentId: "a1", reason: "signed_out", sessionTokenHashes: ["h1"] });
    expect(log).toEqual(["/agent close agent-session:h1"]);
  });
});
