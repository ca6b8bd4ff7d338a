import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "../../scripts/build-server.mjs";
import { compiledEntry, compiledStatus, ROOT } from "../../server/cli/compiledServer.mjs";
import { FIXTURE_KNOWLEDGE, INTENTS } from "../helpers/testApp.ts";
import { createTestDatabase, seedEmbeddedDataDir, usingPostgres } from "../helpers/testDatabase.ts";

/**
 * The server compiled ahead of time (`npm run build` → dist/node, run by bin.mjs when it
 * is current): the rule that decides when it may run, and the compiled server itself.
 */
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

describe("the compiled server's freshness rule", () => {
  it("runs a build only while it matches the sources, whatever their modification times say", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-compiled-"));
    scratch.push(root);
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write(
      "server/cli/main.ts",
      'import { where } from "./where.ts";\nimport { unit } from "../../shared/unit.ts";\nconsole.log(where(), unit satisfies string);\n',
    );
    write("server/cli/where.ts", "export const where = (): string => import.meta.dirname;\n");
    write("shared/unit.ts", 'export const unit: string = "ms";\n');
    write("server/cli/main.test.ts", "not compiled: tests are not the server's\n");
    const outDir = path.join(root, "dist/node");
    await buildServer({ root, outDir });

    // The output runs without tsx, and a path computed from import.meta is the source's.
    const out = await run(process.execPath, [path.join(outDir, "server/cli/main.js")]);
    expect(out.trim()).toBe(`${path.join(root, "server/cli")} ms`);
    expect(fs.existsSync(path.join(outDir, "server/cli/main.test.js"))).toBe(false);
    expect(compiledEntry(root, outDir)).toBe(`file://${path.join(outDir, "server/cli/main.js")}`);

    // Touched without a change (a checkout, a copy): still current.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "shared/unit.ts"), later, later);
    expect(compiledStatus(root, outDir)).toEqual({ current: true });
    // Changed, even to the same size: not current, and bin.mjs falls back to the sources.
    write("shared/unit.ts", 'export const unit: string = "s!";\n');
    expect(compiledStatus(root, outDir)).toEqual({ current: false, reason: "shared/unit.ts changed since the build" });
    expect(compiledEntry(root, outDir)).toBeNull();
    write("shared/unit.ts", 'export const unit: string = "ms";\n');
    expect(compiledStatus(root, outDir)).toEqual({ current: true });
    // A source added or removed since the build.
    write("server/extra.ts", "export {};\n");
    expect(compiledStatus(root, outDir).current).toBe(false);
    fs.rmSync(path.join(root, "server/extra.ts"));
    expect(compiledStatus(root, outDir).current).toBe(true);
    fs.rmSync(path.join(root, "server/cli/where.ts"));
    expect(compiledStatus(root, outDir).current).toBe(false);
    // No build at all.
    expect(compiledStatus(root, path.join(root, "dist/none"))).toEqual({ current: false, reason: "not built" });
  });
});

describe("the compiled server", () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("builds from this repository and starts: migrations, knowledge and templates found, /readyz answers", async () => {
    // Its own output folder (inside the repository, where Node finds the packages), so that
    // dist/node and the processes other tests start from it are left alone.
    const outDir = path.join(ROOT, "dist", `node-test-${process.pid}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-compiled-start-"));
    scratch.push(outDir, dataDir);
    await buildServer({ outDir });
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      INTENTS_DIR: INTENTS,
      KNOWLEDGE_WATCH: "false",
      DEMO_SEED: "false",
      LOG_LEVEL: "warn",
      SECRET_KEY: crypto.randomBytes(32).toString("hex"),
      REDIS_URL: "",
    };
    for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k === "NODE_OPTIONS") delete env[k];
    if (usingPostgres) env.DATABASE_URL = (await createTestDatabase()).url!;
    else seedEmbeddedDataDir(path.join(dataDir, "pg"));

    child = spawn(process.execPath, [path.join(outDir, "server/cli/main.js"), "start", "--port", "0"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    child.stdout!.on("data", (d: Buffer) => (said += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (said += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on("data", () => {
        const m = /Agent console: +(http:\/\/localhost:\d+)\/console/.exec(said);
        if (m) resolve(m[1]!);
      });
      child!.once("exit", (code) => reject(new Error(`the compiled server exited (${code}):\n${said}`)));
    });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // The console's page is served from dist/, a path computed from import.meta (createWebApp.ts).
    const consolePage = await fetch(`${url}/console`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain("<html");
  }, 120_000);
});

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    c.stdout.on("data", (d: Buffer) => (out += d.toString()));
    c.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}
