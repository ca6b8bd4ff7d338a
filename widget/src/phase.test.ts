import { describe, expect, it } from "vitest";
import type { ChatItem } from "./chat.ts";
import { phaseOf } from "./phase.ts";
import { quickRepliesOf } from "./quickReplies.ts";

let n = 0;
function line(over: Partial<ChatItem>): ChatItem {
  n++;
  return { key: `m:${n}`, seq: n, type: "outgoing", sender: "bot", content: "", attributes: {}, attachments: [], createdAt: "", ...over };
}
const assigned = (agentName: string) => line({ type: "activity", sender: "system", attributes: { kind: "assigned", agentName } });
const status = (s: "pending" | "open" | "resolved") =>
  line({ type: "activity", sender: "system", attributes: { kind: "status", status: s } });

describe("who is on the other side", () => {
  it("is the assistant until a handoff, then nobody until a person joins, then that person", () => {
    const items = [line({ sender: "contact", type: "incoming" })];
    expect(phaseOf(items, "pending", false)).toEqual({ phase: "assistant" });
    expect(phaseOf(items, "pending", true)).toEqual({ phase: "waiting" });
    expect(phaseOf(items, "open", false)).toEqual({ phase: "waiting" });
    expect(phaseOf([...items, assigned("Li Wei")], "open", false)).toEqual({ phase: "agent", agentName: "Li Wei" });
    expect(phaseOf([...items, line({ sender: "agent", senderName: "Ana" })], "open", false)).toEqual({ phase: "agent", agentName: "Ana" });
  });

  it("forgets the person once the conversation went back to the assistant, and is no one once resolved", () => {
    expect(phaseOf([assigned("Li Wei"), status("pending"), status("open")], "open", false)).toEqual({ phase: "waiting" });
    expect(phaseOf([assigned("Li Wei")], "resolved", false)).toEqual({ phase: "resolved" });
  });
});

describe("the suggested replies", () => {
  const chips = [{ label: "Freeze my card", text: "freeze" }, { label: "Talk to a person" }];

  it("are the latest reply's, less 'talk to a person', which has its own chip", () => {
    expect(quickRepliesOf([line({ attributes: { quickReplies: chips } })])).toEqual([chips[0]]);
    expect(quickRepliesOf([line({ attributes: { quickReplies: chips } }), status("open")])).toEqual([chips[0]]);
  });

  it("go once the customer writes, and wait for a streamed answer to finish", () => {
    expect(quickRepliesOf([line({ attributes: { quickReplies: chips } }), line({ sender: "contact", type: "incoming" })])).toEqual([]);
    expect(quickRepliesOf([line({ attributes: { quickReplies: chips }, streaming: true })])).toEqual([]);
  });
});
