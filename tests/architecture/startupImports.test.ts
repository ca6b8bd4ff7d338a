import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./importGraph.ts";

/**
 * What a process holds before it does anything: the server as `bankdesk start` imports it
 * (server/app.ts). Libraries that only some requests or jobs need are loaded with the
 * first of them, so a web process serving customers' sockets and the console does not
 * carry them (idle RSS, `npm run bench -- message-path`: each figure below is what
 * importing the library alone added to a process here).
 */
const LOADED_ON_DEMAND: Array<[string, RegExp]> = [
  ["LangChain and OpenAI's SDK (the language model), ~70 MB", /node_modules\/(@langchain|openai|langsmith)\//],
  ["date-holidays (complaint clocks' UK and US calendars), ~30 MB", /node_modules\/date-holidays\//],
  ["mailparser (inbound e-mail), ~20 MB", /node_modules\/mailparser\//],
  ["nodemailer (outbound e-mail), ~10 MB", /node_modules\/nodemailer\//],
  ["@simplewebauthn (security keys), ~20 MB", /node_modules\/@simplewebauthn\//],
  ["undici (outbound HTTP: webhooks, custom tools, the core system), ~17 MB", /node_modules\/undici\//],
  ["the assistant's pipeline (a worker's, or a preview's)", /server\/assistant\/createAssistant\.ts/],
  ["agent assistance", /server\/assistant\/agentAssist\/AgentAssist\.ts/],
];

describe("the server at start", () => {
  it("does not load what only some requests or jobs need", () => {
    const dir = mkdtempSync(join(tmpdir(), "bankdesk-imports-"));
    const record = join(dir, "imports.txt");
    try {
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--import",
          "./tests/helpers/recordImports.mjs",
          "--input-type=module",
          "-e",
          'await import("./server/app.ts");',
        ],
        { cwd: REPO_ROOT, env: { ...process.env, RECORD_IMPORTS: record }, stdio: "pipe", timeout: 60_000 },
      );
      const loaded = readFileSync(record, "utf8").split("\n");
      // The recording works: what every process needs is in it.
      expect(loaded.some((m) => m.includes("server/app.ts"))).toBe(true);
      expect(loaded.some((m) => /node_modules\/socket\.io\//.test(m))).toBe(true);
      const found = LOADED_ON_DEMAND.filter(([, pattern]) => loaded.some((m) => pattern.test(m))).map(([what]) => what);
      expect(found).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
