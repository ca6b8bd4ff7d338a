import { describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { agentChangeRefusal, authorizeAgentChange, type AgentChange } from "./agentPolicy.ts";

const admin: Actor = { type: "agent", id: "a-admin", role: "admin", teamIds: [] };
const agent: Actor = { type: "agent", id: "a-agent", role: "agent", teamIds: ["t1"] };
const editor: Actor = { type: "agent", id: "a-editor", role: "content", teamIds: [] };
const system: Actor = { type: "system" };

const change = (target: AgentChange["target"], next: AgentChange["next"], activeAdmins: number): AgentChange => ({
  target,
  next,
  activeAdmins,
});
const otherAdmin = { id: "a-other", role: "admin" as const, active: true };

describe("agent policy", () => {
  it("lets only admins and the system manage console users", () => {
    const promote = change({ id: "a-agent", role: "agent", active: true }, { role: "admin", active: true }, 1);
    expect(agentChangeRefusal(admin, promote)).toBeNull();
    expect(agentChangeRefusal(system, promote)).toBeNull();
    expect(agentChangeRefusal(agent, promote)?.code).toBe("forbidden");
    expect(agentChangeRefusal(editor, promote)?.code).toBe("forbidden");
    expect(agentChangeRefusal({ type: "contact", id: "c1", verified: true }, promote)?.code).toBe("forbidden");
    expect(() => authorizeAgentChange(agent, promote)).toThrow(/not allowed/);
  });

  it("never demotes or deactivates the last active admin", () => {
    expect(agentChangeRefusal(system, change(otherAdmin, { role: "agent", active: true }, 1))).toMatchObject({ code: "conflict" });
    expect(agentChangeRefusal(system, change(otherAdmin, { role: "admin", active: false }, 1))?.message).toMatch(/deactivating/);
    expect(agentChangeRefusal(admin, change({ ...otherAdmin, id: "a-admin" }, { role: "content", active: true }, 1))?.message).toMatch(
      /last active admin/,
    );
  });

  it("allows it when another active admin remains", () => {
    expect(agentChangeRefusal(admin, change(otherAdmin, { role: "agent", active: true }, 2))).toBeNull();
    expect(agentChangeRefusal(admin, change(otherAdmin, { role: "admin", active: false }, 2))).toBeNull();
    // Stepping down oneself is fine while someone else is admin.
    expect(agentChangeRefusal(admin, change({ ...otherAdmin, id: "a-admin" }, { role: "agent", active: true }, 2))).toBeNull();
  });

  it("refuses deactivating one's own account, even with other admins", () => {
    const self = change({ id: "a-admin", role: "admin", active: true }, { role: "admin", active: false }, 3);
    expect(agentChangeRefusal(admin, self)).toMatchObject({ code: "conflict", message: expect.stringMatching(/your own account/) });
  });

  it("ignores the admin count for changes that keep an admin an admin, or concern non-admins", () => {
    expect(agentChangeRefusal(admin, change(otherAdmin, { role: "admin", active: true }, 1))).toBeNull();
    expect(agentChangeRefusal(admin, change({ id: "x", role: "agent", active: true }, { role: "agent", active: false }, 1))).toBeNull();
    // Reactivating a deactivated admin, or demoting one, never trips the rule.
    expect(agentChangeRefusal(admin, change({ id: "x", role: "admin", active: false }, { role: "agent", active: false }, 1))).toBeNull();
  });
});
