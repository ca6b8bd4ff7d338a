import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./importGraph.ts";

/**
 * What a process holds before it does anything: the server as `bankdesk start` imports it
 * (the CLI's commands, server/app.ts, and in a web process its web and realtime services).
 * Libraries that only some requests or jobs need are loaded with the first of them, so a
 * web process serving customers' sockets and the console does not carry them (idle RSS,
 * README "Idle memory": each figure below is what importing the library alone added to a
 * process here).
 */
const LOADED_ON_DEMAND: Array<[string, RegExp]> = [
  ["LangChain and OpenAI's SDK (the language model), ~70 MB", /node_modules\/(@langchain|openai|langsmith)\//],
  ["date-holidays (complaint clocks' UK and US calendars), ~30 MB", /node_modules\/date-holidays\//],
  ["mailparser (inbound e-mail), ~20 MB", /node_modules\/mailparser\//],
  ["nodemailer (outbound e-mail), ~10 MB", /node_modules\/nodemailer\//],
  ["@simplewebauthn (security keys), ~20 MB", /node_modules\/@simplewebauthn\//],
  ["undici (outbound HTTP: webhooks, custom tools, the core system), ~17 MB", /node_modules\/undici\//],
  ["openid-client and jose (single sign-on), ~6 and ~7 MB", /node_modules\/(openid-client|jose|oauth4webapi)\//],
  ["yaml (knowledge articles' front matter, intents), ~8 MB", /node_modules\/yaml\//],
  ["fast-xml-parser (WeChat pushes), ~8 MB", /node_modules\/fast-xml-parser\//],
  ["the assistant's pipeline (a worker's, or a preview's)", /server\/assistant\/createAssistant\.ts/],
  ["agent assistance", /server\/assistant\/agentAssist\/AgentAssist\.ts/],
];

/** What a worker does not need at all: the HTTP and socket stacks (Express ~15 MB, Socket.IO ~14 MB, imported alone). */
const WEB_ONLY: Array<[string, RegExp]> = [
  ["Express and its middleware", /node_modules\/(express|express-rate-limit|cookie-parser|cors|body-parser)\//],
  ["Socket.IO", /node_modules\/(socket\.io|engine\.io|@socket\.io\/redis-adapter)\//],
];

/** Every module the script imports, as the process resolved them. */
function importsOf(script: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bankdesk-imports-"));
  const record = join(dir, "imports.txt");
  try {
    execFileSync(
      process.execPath,
      ["--import", "tsx", "--import", "./tests/helpers/recordImports.mjs", "--input-type=module", "-e", script],
      { cwd: REPO_ROOT, env: { ...process.env, RECORD_IMPORTS: record }, stdio: "pipe", timeout: 60_000 },
    );
    return readFileSync(record, "utf8").split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const found = (loaded: string[], list: Array<[string, RegExp]>) =>
  list.filter(([, pattern]) => loaded.some((m) => pattern.test(m))).map(([what]) => what);

// The CLI registers every command before it runs one, `start` too.
const CLI = 'await (await import("./server/cli/registry.ts")).cliCommands();';

describe("the server at start", () => {
  it("does not load what only some requests or jobs need", () => {
    const loaded = importsOf(
      `${CLI} await import("./server/app.ts"); await import("./server/services/web/createWebApp.ts"); await import("./server/services/realtime/createRealtime.ts");`,
    );
    // The recording works: what every web process needs is in it.
    expect(loaded.some((m) => m.includes("server/app.ts"))).toBe(true);
    expect(loaded.some((m) => /node_modules\/socket\.io\//.test(m))).toBe(true);
    expect(found(loaded, LOADED_ON_DEMAND)).toEqual([]);
  }, 90_000);

  it("a worker does not load the web and realtime services' libraries", () => {
    const loaded = importsOf(`${CLI} await import("./server/app.ts");`);
    expect(loaded.some((m) => m.includes("server/modules.ts"))).toBe(true);
    expect(found(loaded, [...LOADED_ON_DEMAND, ...WEB_ONLY])).toEqual([]);
  }, 90_000);
});
