import { describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { authorize, canAdminister, canManageKnowledge, canReadAuditLog, canReadReports } from "./adminPolicy.ts";

const admin: Actor = { type: "agent", id: "a0", role: "admin", teamIds: [] };
const agent: Actor = { type: "agent", id: "a1", role: "agent", teamIds: ["t"] };
const editor: Actor = { type: "agent", id: "a2", role: "content", teamIds: [] };
const contact: Actor = { type: "contact", id: "c1", verified: true };
const bot: Actor = { type: "bot" };
const system: Actor = { type: "system" };
const everyone = [admin, agent, editor, contact, bot, system];

describe("admin policy", () => {
  it("administration (users, teams, inboxes, canned responses, labels) is for admins and the system", () => {
    expect(everyone.map(canAdminister)).toEqual([true, false, false, false, false, true]);
  });

  it("the audit log is for admins only", () => {
    expect(everyone.map(canReadAuditLog)).toEqual([true, false, false, false, false, true]);
  });

  it("knowledge for admins and editors, reports for admins and agents", () => {
    expect(everyone.map(canManageKnowledge)).toEqual([true, false, true, false, false, true]);
    expect([admin, agent, editor].map(canReadReports)).toEqual([true, true, false]);
  });

  it("authorize throws forbidden with the message given", () => {
    expect(() => authorize(true)).not.toThrow();
    expect(() => authorize(false, "Administration is for admins")).toThrow(
      expect.objectContaining({ code: "forbidden", message: "Administration is for admins" }),
    );
  });
});
