import { describe, expect, it } from "vitest";
import { decideCrossings, type Measurement } from "./decideCrossings.ts";

const m = (subject: string, value: number): Measurement => ({ subject, label: subject, value, conversationIds: [] });

describe("decideCrossings", () => {
  it("raises for each subject at or over the threshold", () => {
    const d = decideCrossings(3, [m("fees", 3), m("fraud", 2), m("atm", 7)], []);
    expect(d.raise.map((x) => x.subject).sort()).toEqual(["atm", "fees"]);
    expect(d.recover).toEqual([]);
  });

  it("raises once per crossing: an open alert keeps its subject quiet while it stays over", () => {
    const first = decideCrossings(3, [m("fees", 4)], []);
    expect(first.raise).toHaveLength(1);
    const again = decideCrossings(3, [m("fees", 9)], [{ id: "a1", subject: "fees" }]);
    expect(again).toEqual({ raise: [], recover: [] });
  });

  it("recovers an alert once its subject falls below, or is gone; the next crossing raises again", () => {
    expect(decideCrossings(3, [m("fees", 2)], [{ id: "a1", subject: "fees" }])).toEqual({ raise: [], recover: ["a1"] });
    expect(decideCrossings(3, [], [{ id: "a1", subject: "fees" }])).toEqual({ raise: [], recover: ["a1"] });
    expect(decideCrossings(3, [m("fees", 3)], []).raise).toHaveLength(1);
  });

  it("decides nothing when the metric cannot be measured", () => {
    expect(decideCrossings(0.3, null, [{ id: "a1", subject: "" }])).toEqual({ raise: [], recover: [] });
  });

  it("compares shares as well as counts", () => {
    expect(decideCrossings(0.25, [m("", 0.24)], []).raise).toEqual([]);
    expect(decideCrossings(0.25, [m("", 0.25)], []).raise).toHaveLength(1);
  });
});
