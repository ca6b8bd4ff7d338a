import { describe, expect, it } from "vitest";
import { SESSION_SETTINGS, withSessionSettings } from "./sessionSettings.ts";

describe("withSessionSettings", () => {
  const own = Object.entries(SESSION_SETTINGS)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");

  it("adds the settings as the connection's options", () => {
    const url = new URL(withSessionSettings("postgres://app:secret@db.internal:5432/bankdesk?sslmode=require"));
    expect(url.searchParams.get("options")).toBe(own);
    expect(url.searchParams.get("sslmode")).toBe("require");
    expect(url.username).toBe("app");
    expect(url.password).toBe("secret");
    expect(url.pathname).toBe("/bankdesk");
  });

  it("keeps options the URL already has, before ours", () => {
    const url = new URL(withSessionSettings("postgresql://db/bankdesk?options=-c%20statement_timeout%3D5000"));
    expect(url.searchParams.get("options")).toBe(`-c statement_timeout=5000 ${own}`);
  });
});
