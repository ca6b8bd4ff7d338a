import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function capture(isTTY = false) {
  const lines: string[] = [];
  const out = { isTTY, write: (chunk: string) => void lines.push(...chunk.split("\n").filter(Boolean)) };
  return { out, lines };
}

const CARD = "4111 1111 1111 1111";

describe("createLogger", () => {
  it("writes one readable line per record when pretty, with the card number masked", () => {
    const { out, lines } = capture();
    const logger = createLogger("info", out, "pretty");
    logger.info({ conversationId: "c-1", note: `card ${CARD}\nsecond line`, password: "hunter2" }, "customer wrote");
    logger.warn(`lost card ${CARD}`);
    logger.error({ err: new Error("boom") }, "job failed");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}customer wrote conversationId=c-1 note="card \[card \*{4}1111\]\\nsecond line" password=\[redacted\]$/,
    );
    expect(lines[1]).toMatch(/ WARN {2}lost card /);
    expect(lines[2]).toMatch(/ ERROR job failed err="Error: boom \(at /);
    for (const line of lines) {
      expect(line).not.toContain(CARD);
      expect(line).not.toContain("1111 1111");
      expect(line).not.toContain("hunter2");
      expect(line.startsWith("{")).toBe(false);
    }
    // Not a terminal: no colour codes even when forced.
    expect(lines.join("")).not.toContain("\x1b[");
  });

  it("writes JSON lines, unchanged, when json or when auto is not on a terminal", () => {
    for (const format of ["json", "auto"] as const) {
      const { out, lines } = capture(false);
      createLogger("info", out, format).info({ conversationId: "c-1", note: `card ${CARD}` }, "customer wrote");
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(record).toMatchObject({ level: 30, service: "bankdesk", conversationId: "c-1", msg: "customer wrote" });
      expect(record.note).not.toContain("1111 1111");
    }
  });

  it("is readable by default on a terminal, and json forces JSON there", () => {
    const tty = capture(true);
    createLogger("info", tty.out, "auto").info("hello");
    expect(tty.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} /);
    expect(tty.lines[0]).toContain("\x1b[32mINFO \x1b[0m hello");
    const forced = capture(true);
    createLogger("info", forced.out, "json").info("hello");
    expect(JSON.parse(forced.lines[0]!)).toMatchObject({ msg: "hello" });
  });
});
