import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { handOff } from "../../server/commands/handOff.ts";
import { assignConversation } from "../../server/assignment/commands/assignConversation.ts";
import { changeConversationStatus } from "../../server/commands/changeConversationStatus.ts";
import { updateConversation } from "../../server/commands/updateConversation.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM, type Actor } from "../../server/actor.ts";
import { usingPostgres } from "../helpers/testDatabase.ts";
import { wakeSnoozedConversations } from "../../server/conversations/wakeSnoozedConversations.ts";
import { presentConversation } from "../../server/presenters/presentConversation.ts";

let app: TestApp;
let inboxId: string;
let contactId: string;
beforeAll(async () => {
  app = await startTestApp({ services: ["web"] });
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Test') RETURNING id")).rows[0]!.id;
});
afterAll(() => app?.close());

const newConversation = () => createConversation(app.ctx, { inboxId, contactId });

describe(`conversation commands (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("numbers messages 1..n without gaps or duplicates under concurrent writers", async () => {
    const c = await newConversation();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: `m${i}`, clientId: `k${i}` }),
      ),
    );
    const { rows } = await app.db.query<{ seq: number }>("SELECT seq FROM messages WHERE conversation_id = $1 ORDER BY seq", [c.id]);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it("stores a message once when the same client id is posted concurrently", async () => {
    const c = await newConversation();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: "dup", clientId: "same" }),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });

  it("hands off with a reason and a private summary, once", async () => {
    const c = await newConversation();
    await postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: "someone used my card" });
    const first = await handOff(app.ctx, { conversationId: c.id, reason: "sensitive_topic", summary: "Possible fraud" });
    const second = await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "again" });
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect(first.conversation).toMatchObject({ status: "open", handoff_reason: "sensitive_topic" });
    expect(first.conversation.waiting_since).not.toBeNull();
    const notes = await app.db.query<{ private: boolean; content: string }>(
      "SELECT private, content FROM messages WHERE conversation_id = $1 AND message_type = 'activity'",
      [c.id],
    );
    expect(notes.rows).toEqual([{ private: true, content: "Possible fraud" }]);
    const audit = await app.db.query<{ actor_type: string; data: unknown }>(
      "SELECT actor_type, data FROM audit_log WHERE action = 'conversation.handoff' AND target_id = $1",
      [c.id],
    );
    expect(audit.rows).toEqual([{ actor_type: "bot", data: { reason: "sensitive_topic" } }]);
  });

  it("hands off once when hand-offs race (one statement decides), and refuses an unknown conversation", async () => {
    const c = await newConversation();
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => handOff(app.ctx, { conversationId: c.id, reason: "low_confidence", summary: `try ${i}` })),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(results.every((r) => r.conversation.status === "open")).toBe(true);
    const audit = await app.db.query("SELECT 1 FROM audit_log WHERE action = 'conversation.handoff' AND target_id = $1", [c.id]);
    expect(audit.rows).toHaveLength(1);
    await expect(
      handOff(app.ctx, { conversationId: "00000000-0000-4000-8000-000000000000", reason: "error", summary: "x" }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(handOff(app.ctx, { conversationId: "nope", reason: "error", summary: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("records the first response time and stops the waiting clock on a human reply", async () => {
    const c = await newConversation();
    await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "wants a person" });
    const r = await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "outgoing",
      senderType: "agent",
      content: "Hello, I'm here",
    });
    expect(r.conversation.first_reply_at).not.toBeNull();
    expect(r.conversation.waiting_since).toBeNull();
  });

  it("lets exactly one of two agents take the same conversation", async () => {
    const c = await newConversation();
    await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "x" });
    const agents = await Promise.all(
      ["a", "b"].map((n) =>
        createAgent(app.ctx, {
          actor: SYSTEM,
          email: `race-${n}-${c.id}@example.com`,
          name: n,
          role: "agent",
          password: "long-enough-password",
        }),
      ),
    );
    const results = await Promise.allSettled(
      agents.map((a) => {
        const actor: Actor = { type: "agent", id: a.id, role: "agent", teamIds: c.team_id ? [c.team_id] : [] };
        return assignConversation(app.ctx, { actor, conversationId: c.id, assigneeId: a.id, expectedAssigneeId: null });
      }),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.code).toBe("conflict");
  });

  it("counts each change of status, and only those, in the version a customer's widget orders summaries by", async () => {
    const c = await newConversation();
    expect(c.status_version).toBe(0);
    await postMessage(app.ctx, { conversationId: c.id, messageType: "incoming", senderType: "contact", content: "hello" });
    const handed = await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "x" });
    const resolved = await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "resolved" });
    const again = await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "resolved" });
    const reopened = await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "incoming",
      senderType: "contact",
      content: "one more",
    });
    expect([handed.conversation.status_version, resolved.status_version, again.status_version]).toEqual([1, 2, 2]);
    expect(reopened.conversation.status_version).toBe(3);
    expect(presentConversation(reopened.conversation, "contact").statusVersion).toBe(3);
  });

  it("re-opens a resolved conversation to the bot when the customer writes again", async () => {
    const c = await newConversation();
    await handOff(app.ctx, { conversationId: c.id, reason: "explicit_request", summary: "x" });
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "resolved" });
    const r = await postMessage(app.ctx, {
      conversationId: c.id,
      messageType: "incoming",
      senderType: "contact",
      content: "one more question",
    });
    expect(r.conversation.status).toBe("pending");
  });

  it("refuses snoozing without a future time, and unknown conversations", async () => {
    const c = await newConversation();
    await expect(changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "snoozed" })).rejects.toMatchObject({
      code: "validation_error",
    });
    await expect(
      postMessage(app.ctx, {
        conversationId: "00000000-0000-0000-0000-000000000000",
        messageType: "incoming",
        senderType: "contact",
        content: "x",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("a snooze ends by itself", () => {
  const snooze = async (minutes: number) => {
    const c = await newConversation();
    await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: c.id, status: "open" });
    await changeConversationStatus(app.ctx, {
      actor: SYSTEM,
      conversationId: c.id,
      status: "snoozed",
      snoozedUntil: new Date(Date.now() + 60_000),
    });
    // Its time comes (or not) without waiting: the snooze is moved, as the clock would.
    await app.db.query("UPDATE conversations SET snoozed_until = now() + make_interval(mins => $2) WHERE id = $1", [c.id, minutes]);
    return c.id;
  };
  const statusOf = async (id: string) =>
    (await app.db.query<{ status: string }>("SELECT status FROM conversations WHERE id = $1", [id])).rows[0]!.status;

  it("re-opens a conversation whose snooze has ended, once, and leaves the others snoozed", async () => {
    const due = await snooze(-1);
    const later = await snooze(30);
    const changes: Array<{ from: string; to: string }> = [];
    const stop = app.ctx.bus.on("conversation.status_changed", (e) => {
      if (e.conversation.id === due) changes.push({ from: e.from, to: e.to });
    });
    try {
      expect(await wakeSnoozedConversations(app.ctx)).toBeGreaterThanOrEqual(1);
      // A second worker's run finds nothing left to do.
      await wakeSnoozedConversations(app.ctx);
    } finally {
      stop();
    }
    expect(await statusOf(due)).toBe("open");
    expect(await statusOf(later)).toBe("snoozed");
    expect(changes).toEqual([{ from: "snoozed", to: "open" }]);
    const { rows } = await app.db.query<{ content: string }>(
      "SELECT content FROM messages WHERE conversation_id = $1 AND message_type = 'activity' ORDER BY seq DESC LIMIT 1",
      [due],
    );
    expect(rows[0]!.content).toBe("Snooze ended: conversation re-opened");
  });

  it("never re-opens a conversation an agent snoozed again meanwhile", async () => {
    const id = await snooze(-1);
    await changeConversationStatus(app.ctx, {
      actor: SYSTEM,
      conversationId: id,
      status: "snoozed",
      snoozedUntil: new Date(Date.now() + 3_600_000),
    });
    const c = await changeConversationStatus(app.ctx, { actor: SYSTEM, conversationId: id, status: "open", snoozeEnded: true });
    expect(c.status).toBe("snoozed");
    expect(await statusOf(id)).toBe("snoozed");
  });
});

describe("a conversation's priority and labels", () => {
  it("announces what changed, and nothing when nothing did", async () => {
    const c = await newConversation();
    const heard: string[][] = [];
    const stop = app.ctx.bus.on("conversation.updated", (e) => {
      if (e.conversation.id === c.id) heard.push(e.changes);
    });
    try {
      await updateConversation(app.ctx, { actor: SYSTEM, conversationId: c.id, priority: "high" });
      await updateConversation(app.ctx, { actor: SYSTEM, conversationId: c.id, priority: "high", labels: [] });
      await updateConversation(app.ctx, { actor: SYSTEM, conversationId: c.id, labels: ["VIP ", "vip"] });
    } finally {
      stop();
    }
    expect(heard).toEqual([["priority"], ["labels"]]);
  });
});
