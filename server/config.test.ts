import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const base = { DATA_DIR: "/tmp/bankdesk-config-test" };

describe("loadConfig", () => {
  it("has working defaults: embedded database, all services, demo seed", () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ PORT: 3000, SERVICES: ["web", "realtime", "worker"], DEMO_SEED: true, EMBEDDER: "offline" });
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.SECRET_KEY).toHaveLength(64);
  });

  it("names each bad variable", () => {
    try {
      loadConfig({ ...base, PORT: "eighty", DATABASE_URL: "mysql://x", SERVICES: "web,cron" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain("PORT:");
      expect(msg).toContain("DATABASE_URL: must start with postgres://");
      expect(msg).toContain("SERVICES");
    }
  });

  it("requires SECRET_KEY in production", () => {
    expect(() => loadConfig({ ...base, NODE_ENV: "production" })).toThrow(/SECRET_KEY/);
  });

  it("does not seed the demo on an external database unless asked", () => {
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://localhost/x" }).DEMO_SEED).toBe(false);
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://localhost/x", DEMO_SEED: "true" }).DEMO_SEED).toBe(true);
    // Production never seeds the demo (known customers, an identity endpoint) unless asked for.
    const secret = "x".repeat(40);
    expect(loadConfig({ ...base, NODE_ENV: "production", SECRET_KEY: secret }).DEMO_SEED).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: "production", SECRET_KEY: secret, DEMO_SEED: "true" }).DEMO_SEED).toBe(true);
  });
});
