import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/**
 * `npm run core-banking:reference -- --oauth --write-env FILE` as the README runs it: the
 * settings it prints are written for a shell to source, and they reach the server (a
 * token from its token endpoint, then a customer's accounts).
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
let child: ReturnType<typeof spawn> | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the reference server's command line", () => {
  it("writes the CORE_BANKING_* settings it prints to --write-env, private, quoted for a shell", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-reference-cli-"));
    const file = path.join(dir, "with space", "core-banking.env");
    child = spawn(
      process.execPath,
      ["--import", "tsx", "server/banking/referenceServer/main.ts", "--port", "0", "--oauth", "--write-env", file],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", () => out.includes("Written to") && resolve());
      child!.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = Object.fromEntries(
      fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => {
          const m = /^([A-Z_]+)='([^']*)'$/.exec(line)!;
          return [m[1]!, m[2]!];
        }),
    );
    const printed = Object.fromEntries([...out.matchAll(/^ {2}(CORE_BANKING_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(written).sort()).toEqual([
      "CORE_BANKING_CLIENT_ID",
      "CORE_BANKING_CLIENT_SECRET",
      "CORE_BANKING_TOKEN_URL",
      "CORE_BANKING_URL",
    ]);
    expect(written).toEqual(printed);

    // The settings work: a token for the client, then the demo customer's accounts with it.
    const basic = Buffer.from(`${written.CORE_BANKING_CLIENT_ID}:${written.CORE_BANKING_CLIENT_SECRET}`).toString("base64");
    const token = await fetch(written.CORE_BANKING_TOKEN_URL!, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const accounts = await fetch(`${written.CORE_BANKING_URL}/customers/C-1001/accounts`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(accounts.status).toBe(200);
    const unauthorised = await fetch(`${written.CORE_BANKING_URL}/customers/C-1001/accounts`);
    expect(unauthorised.status).toBe(401);
  }, 60_000);
});
