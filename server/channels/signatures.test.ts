import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  metaSignature,
  twilioSignature,
  verifyMetaSignature,
  verifyTwilioSignature,
  verifyWechatSignature,
  wechatSignature,
} from "./signatures.ts";

describe("twilioSignature", () => {
  // Twilio's published example (its SDKs test against the same vector).
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = new URLSearchParams({
    Digits: "1234",
    To: "+18005551212",
    From: "+14158675309",
    Caller: "+14158675309",
    CallSid: "CA1234567890ABCDE",
  });

  it("matches Twilio's documented vector, whatever the parameter order", () => {
    expect(twilioSignature(url, params, "12345")).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    expect(verifyTwilioSignature(url, params, "12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(true);
  });

  it("signs a repeated parameter's distinct values sorted (Twilio SDK vector)", () => {
    const repeated = new URLSearchParams([
      ["Sid", "CA123"],
      ["SidAccount", "AC123"],
      ["Digits", "5678"],
      ["Digits", "1234"],
      ["Digits", "1234"],
    ]);
    expect(twilioSignature(url, repeated, "12345")).toBe("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
  });

  it("refuses a tampered parameter, URL, token or a missing header", () => {
    const tampered = new URLSearchParams(params);
    tampered.set("Digits", "9999");
    expect(verifyTwilioSignature(url, tampered, "12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(false);
    expect(verifyTwilioSignature(url + "&x=1", params, "12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(false);
    expect(verifyTwilioSignature(url, params, "54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(false);
    expect(verifyTwilioSignature(url, params, "12345", undefined)).toBe(false);
  });
});

describe("metaSignature (WhatsApp X-Hub-Signature-256)", () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  it("is sha256= and the hex HMAC of the raw body", () => {
    const expected = "sha256=" + crypto.createHmac("sha256", "app-secret").update(body).digest("hex");
    expect(metaSignature(body, "app-secret")).toBe(expected);
    expect(verifyMetaSignature(body, "app-secret", expected)).toBe(true);
    expect(verifyMetaSignature(body, "app-secret", expected.toUpperCase().replace("SHA256", "sha256"))).toBe(true);
  });
  it("refuses another body, another secret and malformed headers", () => {
    const sig = metaSignature(body, "app-secret");
    expect(verifyMetaSignature(Buffer.from(body.toString() + " "), "app-secret", sig)).toBe(false);
    expect(verifyMetaSignature(body, "other-secret", sig)).toBe(false);
    expect(verifyMetaSignature(body, "app-secret", sig.slice(7))).toBe(false);
    expect(verifyMetaSignature(body, "app-secret", "sha1=abc")).toBe(false);
  });
});

describe("wechatSignature", () => {
  it("is the SHA-1 of token, timestamp and nonce sorted lexicographically", () => {
    // sorted: "1409304348" < "1507654987" ("nonce") < "token"
    const expected = crypto.createHash("sha1").update("14093043481507654987token").digest("hex");
    expect(wechatSignature("token", "1409304348", "1507654987")).toBe(expected);
    expect(verifyWechatSignature("token", { signature: expected, timestamp: "1409304348", nonce: "1507654987" })).toBe(true);
  });
  it("refuses a wrong or missing part", () => {
    const sig = wechatSignature("token", "1409304348", "1507654987");
    expect(verifyWechatSignature("token", { signature: sig, timestamp: "1409304349", nonce: "1507654987" })).toBe(false);
    expect(verifyWechatSignature("token", { timestamp: "1409304348", nonce: "1507654987" })).toBe(false);
  });
});
