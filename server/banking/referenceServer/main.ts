import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDemoBank } from "./demoBank.ts";
import { startReferenceServer } from "./referenceServer.ts";

/**
 * `npm run core-banking:reference -- [options]`: the core-banking contract served
 * over the demo bank's data, for a bank to see what its side must do and for
 * BankDesk's demo to run against a core over HTTP. Prints the environment a
 * BankDesk process needs to use it. Arguments only: this process reads no
 * environment (server/config.ts is BankDesk's).
 */
const USAGE = `Usage: npm run core-banking:reference -- [options]
  --port N            port to listen on (default 4010; 0 for any free port)
  --host H            address to listen on (default 127.0.0.1)
  --data-dir DIR      keep the bank's data in DIR (default: in memory, fresh each start)
  --oauth             require OAuth2 client credentials (a client id and secret are generated and printed)
  --token-ttl S       lifetime of issued tokens in seconds (default 300)
  --tls-dir DIR       serve HTTPS with mutual TLS: a throwaway test CA, server and client
                      certificate are generated into DIR (test use only; never a bank's own PKI)
  --write-env FILE    also write the CORE_BANKING_* settings BankDesk needs to FILE (mode 600),
                      to load with: set -a; . FILE; set +a; npm start
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      "data-dir": { type: "string" },
      oauth: { type: "boolean", default: false },
      "token-ttl": { type: "string", default: "300" },
      "tls-dir": { type: "string" },
      "write-env": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { db, core } = await openDemoBank({ dataDir: values["data-dir"] });
  const oauth = values.oauth
    ? { clientId: "bankdesk", clientSecret: crypto.randomBytes(18).toString("base64url"), tokenTtlSeconds: Number(values["token-ttl"]) }
    : undefined;
  let tls;
  const env: Record<string, string> = {};
  if (values["tls-dir"]) {
    const dir = path.resolve(values["tls-dir"]);
    const { generateTestCertificates } = await import("./testCertificates.ts");
    const c = await generateTestCertificates(30);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const write = (name: string, text: string, mode = 0o644) => {
      fs.writeFileSync(path.join(dir, name), text, { mode });
      return path.join(dir, name);
    };
    write("server.crt", c.server.cert);
    write("server.key", c.server.key, 0o600);
    env.CORE_BANKING_TLS_CA = write("ca.crt", c.ca.cert);
    env.CORE_BANKING_TLS_CERT = write("client.crt", c.client.cert);
    env.CORE_BANKING_TLS_KEY = write("client.key", c.client.key, 0o600);
    tls = { cert: c.server.cert, key: c.server.key, clientCa: c.ca.cert };
  }
  const server = await startReferenceServer({ core, port: Number(values.port), host: values.host, oauth, tls });
  env.CORE_BANKING_URL = server.url;
  if (oauth) {
    env.CORE_BANKING_TOKEN_URL = server.tokenUrl;
    env.CORE_BANKING_CLIENT_ID = oauth.clientId;
    env.CORE_BANKING_CLIENT_SECRET = oauth.clientSecret;
  }
  console.log(`Reference core-banking server on ${server.url} (demo customers C-1001 and C-1002).`);
  console.log("Start BankDesk with:");
  for (const [k, v] of Object.entries(env)) console.log(`  ${k}=${v}`);
  if (values["write-env"]) {
    // Single-quoted for a shell to source (a path may hold spaces); the secret is base64url.
    const file = path.resolve(values["write-env"]);
    const quoted = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      Object.entries(env)
        .map(([k, v]) => `${k}=${quoted(v)}\n`)
        .join(""),
      { mode: 0o600 },
    );
    fs.chmodSync(file, 0o600);
    console.log(`Written to ${file}: set -a; . ${file}; set +a; npm start`);
  }
  const stop = async () => {
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
