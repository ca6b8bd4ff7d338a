import { describe, expect, it } from "vitest";
import { authorizeRead, canManageConversation, canReadConversation, canSeePrivateNotes, reportVisibility } from "./conversationPolicy.ts";
import { canAdminister, canManageKnowledge } from "./adminPolicy.ts";
import type { Actor } from "../actor.ts";

const conv = { contact_id: "c1", team_id: "t-cards", assignee_id: null as string | null };
const admin: Actor = { type: "agent", id: "a0", role: "admin", teamIds: [] };
const cardsAgent: Actor = { type: "agent", id: "a1", role: "agent", teamIds: ["t-cards"] };
const careAgent: Actor = { type: "agent", id: "a2", role: "agent", teamIds: ["t-care"] };
const editor: Actor = { type: "agent", id: "a3", role: "content", teamIds: ["t-cards"] };
const owner: Actor = { type: "contact", id: "c1", verified: true };
const stranger: Actor = { type: "contact", id: "c2", verified: true };

describe("conversation policy", () => {
  it("admins see everything, agents their teams' and unteamed conversations", () => {
    expect(canReadConversation(admin, conv)).toBe(true);
    expect(canReadConversation(cardsAgent, conv)).toBe(true);
    expect(canReadConversation(careAgent, conv)).toBe(false);
    expect(canReadConversation(careAgent, { ...conv, team_id: null })).toBe(true);
    expect(canReadConversation(careAgent, { ...conv, assignee_id: "a2" })).toBe(true);
  });

  it("reports: admins count everything, agents what they can read, and only their own teams by name", () => {
    expect(reportVisibility(admin, "t-care")).toBeUndefined();
    expect(reportVisibility(cardsAgent)).toEqual({ agentId: "a1", teamIds: ["t-cards"] });
    expect(reportVisibility(cardsAgent, "t-cards")).toEqual({ agentId: "a1", teamIds: ["t-cards"] });
    expect(() => reportVisibility(cardsAgent, "t-care")).toThrow(/your own teams/);
  });

  it("content editors see no conversations", () => {
    expect(canReadConversation(editor, conv)).toBe(false);
  });

  it("a customer sees only their own conversations, and no private notes", () => {
    expect(canReadConversation(owner, conv)).toBe(true);
    expect(canReadConversation(stranger, conv)).toBe(false);
    expect(canManageConversation(owner, conv)).toBe(false);
    expect(canSeePrivateNotes(owner)).toBe(false);
  });

  it("answers not_found rather than forbidden, so ids cannot be probed", () => {
    expect(() => authorizeRead(stranger, { ...conv } as never)).toThrow(/not found/);
  });

  it("administration is for admins, knowledge for admins and editors", () => {
    expect([admin, cardsAgent, editor].map(canAdminister)).toEqual([true, false, false]);
    expect([admin, cardsAgent, editor].map(canManageKnowledge)).toEqual([true, false, true]);
  });
});
