/**
 * A console socket holds only what its agent may read now: signing out, deactivation,
 * a password reset and a change of teams or role close the agent's open sockets at
 * once (on every node, through the adapter), and a reconnect is authenticated and
 * given rooms afresh. Before, an open /agent socket kept its rooms and went on
 * receiving private notes after all of these.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { callApi, closedByServer, connectAgentSocket, nextEvent, signInAgent, startTestApp, type TestApp } from "../helpers/testApp.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { createTeam } from "../../server/commands/createTeam.ts";
import { createConversation } from "../../server/commands/createConversation.ts";
import { postMessage } from "../../server/commands/postMessage.ts";
import { setAgentActive } from "../../server/commands/setAgentActive.ts";
import { resetAgentPassword } from "../../server/commands/resetAgentPassword.ts";
import { updateTeam } from "../../server/commands/updateTeam.ts";
import { updateAgent } from "../../server/commands/updateAgent.ts";
import { SYSTEM } from "../../server/actor.ts";

let app: TestApp;
let inboxId: string;
let contactId: string;
const PASSWORD = "socket-access-test-password";
const uid = () => crypto.randomBytes(4).toString("hex");

beforeAll(async () => {
  app = await startTestApp();
  inboxId = (await app.db.query<{ id: string }>("SELECT id FROM inboxes WHERE slug = 'website'")).rows[0]!.id;
  contactId = (await app.db.query<{ id: string }>("INSERT INTO contacts (name) VALUES ('Socket Access') RETURNING id")).rows[0]!.id;
});
afterAll(() => app?.close());

async function teamAgent() {
  const team = await createTeam(app.ctx, { actor: SYSTEM, name: `Team ${uid()}`, slug: `t-${uid()}` });
  const email = `${uid()}@access.example`;
  const agent = await createAgent(app.ctx, {
    actor: SYSTEM,
    email,
    name: "Access Agent",
    role: "agent",
    password: PASSWORD,
    teamIds: [team.id],
  });
  const conversation = await createConversation(app.ctx, { inboxId, contactId, status: "open" });
  await app.db.query("UPDATE conversations SET team_id = $2 WHERE id = $1", [conversation.id, team.id]);
  return { team, agent, email, conversationId: conversation.id };
}

async function note(conversationId: string, content: string) {
  await postMessage(app.ctx, { conversationId, messageType: "outgoing", senderType: "system", content, private: true });
}

/** Whether the socket hears a private note posted now in the conversation. */
async function hearsNote(socket: Socket, conversationId: string): Promise<boolean> {
  const content = `note ${uid()}`;
  const heard = nextEvent<{ message: { content: string } }>(socket, "message", (e) => e.message.content === content, 1500).then(
    () => true,
    () => false,
  );
  await note(conversationId, content);
  return heard;
}

describe("agent sockets follow the agent's access", () => {
  it("signing out closes that session's sockets, not the agent's other sessions", async () => {
    const { email, conversationId } = await teamAgent();
    const laptop = await signInAgent(app, email, PASSWORD);
    const phone = await signInAgent(app, email, PASSWORD);
    const a = await connectAgentSocket(app, laptop.cookie);
    const b = await connectAgentSocket(app, phone.cookie);
    expect(await hearsNote(a, conversationId)).toBe(true);
    const closed = closedByServer(a);
    const res = await callApi(app, laptop, "POST", "/auth/logout");
    expect(res.status).toBeLessThan(300);
    expect(await closed).toBe("io server disconnect");
    expect(await hearsNote(b, conversationId)).toBe(true);
    await expect(connectAgentSocket(app, laptop.cookie)).rejects.toThrow(/unauthenticated/);
    b.disconnect();
  });

  it("deactivation closes every socket of the agent and refuses a reconnect", async () => {
    const { agent, email, conversationId } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const socket = await connectAgentSocket(app, s.cookie);
    const closed = closedByServer(socket);
    await setAgentActive(app.ctx, { actor: SYSTEM, agentId: agent.id, active: false });
    expect(await closed).toBe("io server disconnect");
    expect(await hearsNote(socket, conversationId)).toBe(false);
    await expect(connectAgentSocket(app, s.cookie)).rejects.toThrow(/unauthenticated/);
  });

  it("a password reset closes the sockets of the old sessions", async () => {
    const { agent, email } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const socket = await connectAgentSocket(app, s.cookie);
    const closed = closedByServer(socket);
    await resetAgentPassword(app.ctx, { actor: SYSTEM, agentId: agent.id });
    expect(await closed).toBe("io server disconnect");
    await expect(connectAgentSocket(app, s.cookie)).rejects.toThrow(/unauthenticated/);
  });

  it("removal from a team: the reconnected socket no longer hears that team's private notes", async () => {
    const { team, email, conversationId } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const socket = await connectAgentSocket(app, s.cookie);
    expect(await hearsNote(socket, conversationId)).toBe(true);
    const closed = closedByServer(socket);
    await updateTeam(app.ctx, { actor: SYSTEM, teamId: team.id, memberIds: [] });
    expect(await closed).toBe("io server disconnect");
    const again = await connectAgentSocket(app, s.cookie);
    expect(await hearsNote(again, conversationId)).toBe(false);
    again.disconnect();
  });

  it("a change of role is a change of rooms", async () => {
    const { agent, email, conversationId } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const socket = await connectAgentSocket(app, s.cookie);
    const closed = closedByServer(socket);
    await updateAgent(app.ctx, { actor: SYSTEM, agentId: agent.id, teamIds: [], role: "agent" });
    expect(await closed).toBe("io server disconnect");
    const again = await connectAgentSocket(app, s.cookie);
    expect(await hearsNote(again, conversationId)).toBe(false);
    again.disconnect();
  });

  it("refuses a socket opened from another site's page (its Origin)", async () => {
    const { email } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const foreign = connect(`${app.url}/agent`, {
      extraHeaders: { cookie: s.cookie, origin: "https://evil.example" },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    const err = await new Promise<Error>((resolve) => foreign.once("connect_error", resolve));
    foreign.close();
    expect(err.message).toBe("forbidden");
    const own = await connectAgentSocket(app, s.cookie);
    own.disconnect();
  });

  it("a name change leaves the socket alone", async () => {
    const { agent, email, conversationId } = await teamAgent();
    const s = await signInAgent(app, email, PASSWORD);
    const socket = await connectAgentSocket(app, s.cookie);
    await updateAgent(app.ctx, { actor: SYSTEM, agentId: agent.id, name: "Renamed Agent" });
    expect(await hearsNote(socket, conversationId)).toBe(true);
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});
