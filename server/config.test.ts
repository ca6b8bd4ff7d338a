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

  it("takes single sign-on only as a whole, https in production, and password sign-in off only with it", () => {
    const sso = {
      OIDC_ISSUER_URL: "https://login.bank.example",
      OIDC_CLIENT_ID: "bankdesk",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_REDIRECT_URL: "https://desk.bank.example/auth/sso/callback",
    };
    expect(loadConfig({ ...base, ...sso })).toMatchObject({
      ...sso,
      OIDC_PROVISION_USERS: false,
      OIDC_IDP_ENFORCES_MFA: false,
      PASSWORD_SIGN_IN: true,
    });
    expect(() => loadConfig({ ...base, ...sso, OIDC_CLIENT_SECRET: undefined })).toThrow(/OIDC_ISSUER_URL: single sign-on needs/);
    expect(() => loadConfig({ ...base, PASSWORD_SIGN_IN: "false" })).toThrow(/PASSWORD_SIGN_IN/);
    expect(loadConfig({ ...base, ...sso, PASSWORD_SIGN_IN: "false" }).PASSWORD_SIGN_IN).toBe(false);
    expect(() => loadConfig({ ...base, ...sso, OIDC_ROLE_CLAIM: "groups" })).toThrow(/OIDC_ADMIN_VALUES or OIDC_AGENT_VALUES/);
    const prod = { ...base, NODE_ENV: "production", SECRET_KEY: "x".repeat(32) };
    expect(() => loadConfig({ ...prod, ...sso, OIDC_ISSUER_URL: "http://login.bank.example" })).toThrow(/OIDC_ISSUER_URL: must be https/);
    expect(() => loadConfig({ ...prod, ...sso, OIDC_POST_LOGOUT_REDIRECT_URL: "http://desk.bank.example/console" })).toThrow(
      /OIDC_POST_LOGOUT_REDIRECT_URL: must be https/,
    );
  });

  it("takes the core-banking connection only as a whole", () => {
    expect(loadConfig(base).CORE_BANKING_URL).toBeUndefined();
    const ok = loadConfig({
      ...base,
      CORE_BANKING_URL: "https://core.bank.example/bankdesk/v1",
      CORE_BANKING_TOKEN_URL: "https://auth.bank.example/token",
      CORE_BANKING_CLIENT_ID: "bankdesk",
      CORE_BANKING_CLIENT_SECRET: "s3cret",
      CORE_BANKING_TLS_CERT: "/etc/bankdesk/client.crt",
      CORE_BANKING_TLS_KEY: "/etc/bankdesk/client.key",
    });
    expect(ok).toMatchObject({ CORE_BANKING_TIMEOUT_MS: 4000, CORE_BANKING_READ_RETRIES: 2, CORE_BANKING_BREAKER_FAILURES: 5 });
    expect(() => loadConfig({ ...base, CORE_BANKING_URL: "ftp://core" })).toThrow(/CORE_BANKING_URL: must start with http/);
    expect(() => loadConfig({ ...base, CORE_BANKING_URL: "https://core.example", CORE_BANKING_CLIENT_ID: "x" })).toThrow(
      /CORE_BANKING_TOKEN_URL: OAuth2 needs/,
    );
    expect(() => loadConfig({ ...base, CORE_BANKING_URL: "https://core.example", CORE_BANKING_TLS_CERT: "/c.crt" })).toThrow(
      /needs both CORE_BANKING_TLS_CERT and CORE_BANKING_TLS_KEY/,
    );
    expect(() => loadConfig({ ...base, CORE_BANKING_TLS_CA: "/ca.crt" })).toThrow(/CORE_BANKING_URL: required/);
    expect(() => loadConfig({ ...base, CORE_BANKING_URL: "http://core.example", CORE_BANKING_TLS_CA: "/ca.crt" })).toThrow(/must be https/);
    const prod = { ...base, NODE_ENV: "production", SECRET_KEY: "x".repeat(40) };
    expect(() => loadConfig({ ...prod, CORE_BANKING_URL: "http://core.example" })).toThrow(/must be https:\/\/ when NODE_ENV=production/);
    expect(() =>
      loadConfig({
        ...prod,
        CORE_BANKING_URL: "https://core.example",
        CORE_BANKING_TOKEN_URL: "http://auth.example/token",
        CORE_BANKING_CLIENT_ID: "x",
        CORE_BANKING_CLIENT_SECRET: "y",
      }),
    ).toThrow(/CORE_BANKING_TOKEN_URL: must be https/);
  });
});
