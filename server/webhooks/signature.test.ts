import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./signature.ts";

describe("webhook signatures", () => {
  const body = '{"event":"message.created"}';
  it("is t=<unix>,v1=<hex HMAC-SHA256 of t.body>", () => {
    const v1 = crypto.createHmac("sha256", "whsec_x").update(`1732400000.${body}`).digest("hex");
    expect(signWebhook("whsec_x", body, 1732400000)).toBe(`t=1732400000,v1=${v1}`);
  });
  it("verifies within the tolerance, refuses tampering, other secrets and old timestamps", () => {
    const header = signWebhook("whsec_x", body, 1732400000);
    expect(verifyWebhookSignature("whsec_x", body, header, 300, 1732400100)).toBe(true);
    expect(verifyWebhookSignature("whsec_x", body + " ", header, 300, 1732400100)).toBe(false);
    expect(verifyWebhookSignature("whsec_y", body, header, 300, 1732400100)).toBe(false);
    expect(verifyWebhookSignature("whsec_x", body, header, 300, 1732401000)).toBe(false);
    expect(verifyWebhookSignature("whsec_x", body, "v1=abc", 300, 1732400100)).toBe(false);
    expect(verifyWebhookSignature("whsec_x", body, null)).toBe(false);
  });
});
