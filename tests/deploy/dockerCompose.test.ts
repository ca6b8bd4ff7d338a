import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";

/**
 * docker-compose.yml has never run on CI (no image pulls there), so this checks what
 * can be checked without Docker: the file parses, and the processes, environment,
 * start order and health checks are the ones the README's "Production" section
 * documents. Where the Docker CLI with Compose is installed, Compose validates it too.
 */

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

const dependency = z.object({ condition: z.enum(["service_started", "service_healthy", "service_completed_successfully"]) });
const service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  volumes: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), dependency).optional(),
  healthcheck: z.object({ test: z.array(z.string()).optional(), disable: z.boolean().optional() }).optional(),
  restart: z.string().optional(),
});
const composeFile = z.object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown()).optional() });

// `merge: true` resolves the `<<: *bankdesk` keys the way Compose does.
const compose = composeFile.parse(parse(read("docker-compose.yml"), { merge: true }));
const readme = read("README.md");
const dockerfile = read("Dockerfile");
const services = compose.services;

/** The README's process table: "| `bankdesk start --services worker` | ..." → ["start", "--services", "worker"]. */
const documentedCommands = [...readme.matchAll(/^\| `bankdesk ([^`]+)`/gm)].map((m) => m[1]!.split(" "));
const webServices = Object.keys(services).filter((name) => /^web\d*$/.test(name));
const bankdeskServices = [...webServices, "worker", "migrate"];

describe("docker-compose.yml", () => {
  it("has the README's shape: PostgreSQL with pgvector, Redis, two web/realtime nodes behind nginx, a worker, migrations", () => {
    expect(Object.keys(services).sort()).toEqual(["migrate", "postgres", "proxy", "redis", "web1", "web2", "worker"]);
    expect(services.postgres!.image).toMatch(/^pgvector\/pgvector:pg1[5-9]/);
    expect(services.redis!.image).toMatch(/^redis:/);
    expect(services.proxy!.image).toMatch(/^nginx:/);
    // README: "# http://localhost:8080/console".
    expect(services.proxy!.ports).toContain("8080:80");
    expect(readme).toContain("http://localhost:8080/console");
  });

  it("runs every BankDesk process from the one image the Dockerfile builds, with the README's commands", () => {
    expect(documentedCommands).toEqual(
      expect.arrayContaining([["start", "--services", "web,realtime"], ["start", "--services", "worker"], ["migrate"]]),
    );
    for (const name of bankdeskServices) {
      expect(services[name]!.build, name).toBe(".");
      expect(services[name]!.image, name).toBe("bankdesk:latest");
    }
    for (const name of webServices) expect(services[name]!.command, name).toEqual(["start", "--services", "web,realtime"]);
    expect(services.worker!.command).toEqual(["start", "--services", "worker"]);
    expect(services.migrate!.command).toEqual(["migrate"]);
    for (const command of [services.worker!.command, services.web1!.command, services.migrate!.command])
      expect(documentedCommands).toContainEqual(command);
    // `docker compose run --rm migrate user create ...` needs the CLI as the entrypoint.
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "server\/cli\/bin\.mjs"\]$/m);
    expect(readme).toContain("docker compose run --rm migrate user create --role admin --email");
  });

  it("gives every process the environment the README requires, the same on each", () => {
    const env = services.web1!.environment!;
    // README, Production: "Every process needs the same NODE_ENV=production, SECRET_KEY, DATABASE_URL, REDIS_URL and REDIS_PREFIX".
    expect(env).toMatchObject({ NODE_ENV: "production", REDIS_URL: "redis://redis:6379", REDIS_PREFIX: "bankdesk" });
    expect(env.SECRET_KEY).toMatch(/^\$\{SECRET_KEY:\?/);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/bankdesk:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/bankdesk$/);
    expect(env.PUBLIC_URL).toBeDefined();
    expect(env.TRUST_PROXY).toBe("loopback, uniquelocal");
    for (const name of bankdeskServices) expect(services[name]!.environment, name).toEqual(env);
    // The variables the compose file insists on are the ones the README's recipe exports.
    const required = [...read("docker-compose.yml").matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!);
    const exported = readme.match(/^export SECRET_KEY=.*$/m)![0];
    for (const name of new Set(required)) expect(exported).toContain(`${name}=`);
    // KNOWLEDGE_WATCH=false unless workers share the content team's folder; attachments under DATA_DIR.
    expect(dockerfile).toMatch(/KNOWLEDGE_WATCH=false/);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
  });

  it("shares one attachments volume at /data between the web nodes", () => {
    for (const name of webServices) expect(services[name]!.volumes, name).toContain("attachments:/data");
    expect(compose.volumes).toHaveProperty("attachments");
  });

  it("starts the servers after healthy PostgreSQL and Redis and finished migrations", () => {
    for (const name of [...webServices, "worker"]) {
      expect(services[name]!.depends_on, name).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(services.migrate!.restart).toBe("no");
    expect(services.proxy!.depends_on).toEqual(Object.fromEntries(webServices.map((n) => [n, { condition: "service_healthy" }])));
  });

  it("has health checks where something waits on them, and none where there is no HTTP port", () => {
    expect(services.postgres!.healthcheck!.test!.join(" ")).toContain("pg_isready");
    expect(services.redis!.healthcheck!.test).toEqual(["CMD", "redis-cli", "ping"]);
    // Web nodes inherit the image's check of /readyz (database and Redis answer).
    for (const name of webServices) expect(services[name]!.healthcheck?.disable, name).not.toBe(true);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(services.worker!.healthcheck).toEqual({ disable: true });
    expect(services.migrate!.healthcheck).toEqual({ disable: true });
  });

  it("runs Redis as the README says BullMQ needs it: persistent, never evicting", () => {
    const command = services.redis!.command!.join(" ");
    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--maxmemory-policy noeviction");
  });

  it("puts every web node behind nginx, sticky by client address", () => {
    const nginx = read("deploy/nginx.conf");
    expect(services.proxy!.volumes).toContain("./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro");
    expect(nginx).toContain("hash $remote_addr consistent;");
    const upstreams = [...nginx.matchAll(/^\s*server (\w+):3000\b/gm)].map((m) => m[1]);
    expect(upstreams.sort()).toEqual([...webServices].sort());
    // Above MAX_ATTACHMENT_BYTES' default of 10 MB.
    expect(Number(/client_max_body_size (\d+)m;/.exec(nginx)![1])).toBeGreaterThan(10);
  });

  it("is valid for Docker Compose itself (docker compose config -q), where Docker is installed", (ctx) => {
    const probe = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
    if (probe.status !== 0) {
      const why = probe.error ? "docker is not installed" : "docker has no compose plugin";
      console.info(`docker-compose.yml: skipped 'docker compose config -q' (${why})`);
      ctx.skip(why);
    }
    execFileSync("docker", ["compose", "-f", path.join(root, "docker-compose.yml"), "config", "-q"], {
      cwd: root,
      env: { ...process.env, SECRET_KEY: "x".repeat(64), POSTGRES_PASSWORD: "compose-check" },
      stdio: "pipe",
    });
  });
});
