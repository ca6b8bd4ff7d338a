import { describe, expect, it } from "vitest";
import { allowsOrigin, relyingPartyOf, relyingPartyProblem } from "./relyingParty.ts";
import { loadConfig, ConfigError } from "../config.ts";

describe("the WebAuthn relying party", () => {
  it("comes from PUBLIC_URL by default: its host is the RP ID, its origin the one origin allowed", () => {
    const rp = relyingPartyOf({ PUBLIC_URL: "https://desk.bank.example/console", NODE_ENV: "production" })!;
    expect(rp.id).toBe("desk.bank.example");
    expect(allowsOrigin(rp, "https://desk.bank.example")).toBe(true);
    expect(allowsOrigin(rp, "https://desk.bank.example.evil.example")).toBe(false);
    expect(allowsOrigin(rp, "http://desk.bank.example")).toBe(false);
  });

  it("takes WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS over PUBLIC_URL", () => {
    const rp = relyingPartyOf({
      PUBLIC_URL: "https://desk.bank.example",
      WEBAUTHN_RP_ID: "bank.example",
      WEBAUTHN_ORIGINS: ["https://desk.bank.example", "https://desk2.bank.example"],
    })!;
    expect(rp.id).toBe("bank.example");
    expect(allowsOrigin(rp, "https://desk2.bank.example")).toBe(true);
  });

  it("is unavailable in production without a usable host, and http://localhost on any port in development", () => {
    expect(relyingPartyOf({ NODE_ENV: "production" })).toBeUndefined();
    expect(relyingPartyOf({ NODE_ENV: "production", PUBLIC_URL: "http://desk.bank.example" })).toBeUndefined();
    expect(relyingPartyOf({ NODE_ENV: "production", PUBLIC_URL: "https://10.0.0.5" })).toBeUndefined();
    const dev = relyingPartyOf({ NODE_ENV: "development" })!;
    expect(dev.id).toBe("localhost");
    expect(allowsOrigin(dev, "http://localhost:41234")).toBe(true);
    expect(allowsOrigin(dev, "http://localhost.evil.example:41234")).toBe(false);
    expect(allowsOrigin(dev, "http://127.0.0.1:41234")).toBe(false);
  });

  it("stops the server at start on origins that are not on the RP ID, IP addresses, or http:// in production", () => {
    expect(relyingPartyProblem({ WEBAUTHN_RP_ID: "bank.example", WEBAUTHN_ORIGINS: ["https://desk.other.example"] })?.message).toContain(
      "not on the relying party",
    );
    expect(relyingPartyProblem({ WEBAUTHN_RP_ID: "192.168.1.4" })?.variable).toBe("WEBAUTHN_RP_ID");
    expect(
      relyingPartyProblem({ NODE_ENV: "production", WEBAUTHN_RP_ID: "bank.example", WEBAUTHN_ORIGINS: ["http://desk.bank.example"] })
        ?.message,
    ).toContain("https://");
    expect(relyingPartyProblem({ WEBAUTHN_RP_ID: "bank.example", WEBAUTHN_ORIGINS: ["https://desk.bank.example"] })).toBeUndefined();
    expect(() =>
      loadConfig({ WEBAUTHN_RP_ID: "bank.example", WEBAUTHN_ORIGINS: "https://desk.elsewhere.example", DATA_DIR: "/tmp/bd-rp-test" }),
    ).toThrow(ConfigError);
  });
});
