import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { connectWidget, emitAck, nextEvent, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

const EMAIL = "li.na.chen@bayviewbank.example";
const PASSWORD = "quiet-harbour-lantern-41";

let app: TestApp;
let agent: { cookie: string; csrf: string };
beforeAll(async () => {
  // The bot is not under test: the customer's message waits for a person.
  app = await startTestApp({ env: { AUTO_ASSIGN: "false" } });
  await app.db.query(`UPDATE inboxes SET settings = settings || '{"botEnabled": false}'::jsonb`);
  const teams = await app.db.query<{ id: string }>("SELECT id FROM teams");
  await createAgent(app.ctx, {
    actor: SYSTEM,
    email: EMAIL,
    name: "Li Na Chen",
    role: "agent",
    password: PASSWORD,
    teamIds: teams.rows.map((t) => t.id),
  });
  agent = await signInAgent(app, EMAIL, PASSWORD);
});
afterAll(() => app?.close());

const api = (method: string, path: string, body: unknown) =>
  fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", cookie: agent.cookie, "x-csrf-token": agent.csrf },
    body: JSON.stringify(body),
  });

type WidgetMessage = { type: string; content: string; sender: { type: string; name?: string | null }; attributes: Record<string, unknown> };

/** The customer asks; the agent answers through the console's API; what reaches the customer's socket. */
async function replyAsAgent(socket: Socket, conversationId: string, content: string) {
  const seen: unknown[] = [];
  socket.onAny((_event, payload) => seen.push(payload));
  const arrives = nextEvent<WidgetMessage>(socket, "message", (m) => m.content === content);
  const res = await api("POST", `/conversations/${conversationId}/messages`, { content });
  expect(res.status).toBe(201);
  const message = await arrives;
  socket.offAny();
  return { message, seen };
}

describe("an agent's name in the widget", () => {
  it("shows the agent's first name on their reply and in the 'joined' line, never their e-mail or full name", async () => {
    const { socket } = await connectWidget(app);
    const first = await emitAck<{ message: { conversationId: string } }>(socket, "message:send", { clientId: "q1", content: "Hello?" });
    const conversationId = first.message.conversationId;
    const joined = nextEvent<WidgetMessage>(socket, "message", (m) => m.type === "activity" && m.attributes.kind === "assigned");
    const { message, seen } = await replyAsAgent(socket, conversationId, "Hi, I can help with that.");
    expect(message.sender).toEqual({ type: "agent", id: null, name: "Li" });
    expect((await joined).attributes.agentName).toBe("Li");
    expect((await joined).content).toBe("Li joined the conversation");
    const everything = JSON.stringify(seen);
    expect(everything).not.toContain(EMAIL);
    expect(everything).not.toContain("li.na.chen");
    expect(everything).not.toContain("Chen");

    // After a reconnect the history carries the same name.
    const sync = await emitAck<{ messages: WidgetMessage[] }>(socket, "messages:sync", { conversationId, afterSeq: 0 });
    expect(JSON.stringify(sync)).not.toContain(EMAIL);
    expect(sync.messages.find((m) => m.sender.type === "agent")?.sender.name).toBe("Li");
    socket.disconnect();
  });

  it("uses the display name the agent chose in their profile, checked as plain text", async () => {
    for (const bad of ["li@bayviewbank.example", "<b>Li</b>", "   ", "x".repeat(41)]) {
      expect((await api("PATCH", "/auth/me", { displayName: bad })).status, bad).toBe(400);
    }
    const res = await api("PATCH", "/auth/me", { displayName: "  Lina  " });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: { displayName: string; customerName: string } }).agent).toMatchObject({
      displayName: "Lina",
      customerName: "Lina",
    });

    const { socket } = await connectWidget(app);
    const first = await emitAck<{ message: { conversationId: string } }>(socket, "message:send", { clientId: "q2", content: "Anyone?" });
    const { message, seen } = await replyAsAgent(socket, first.message.conversationId, "Lina here.");
    expect(message.sender.name).toBe("Lina");
    expect(JSON.stringify(seen)).not.toContain(EMAIL);
    socket.disconnect();

    // Back to the default.
    expect((await api("PATCH", "/auth/me", { displayName: null })).status).toBe(200);
    const { rows } = await app.db.query<{ display_name: string | null }>("SELECT display_name FROM agents WHERE lower(email) = $1", [
      EMAIL,
    ]);
    expect(rows[0]!.display_name).toBeNull();
  });
});
