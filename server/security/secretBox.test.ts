import { describe, expect, it } from "vitest";
import { SecretBox, SecretBoxError } from "./secretBox.ts";

const OLD = "o".repeat(32);
const NEW = "n".repeat(32);

describe("SecretBox (secrets at rest)", () => {
  it("seals to a value that does not contain the secret and opens back to it", () => {
    const box = new SecretBox(NEW);
    const sealed = box.seal("whsec_top-secret", "webhooks.secret");
    expect(sealed).toMatch(/^sealed:v1:[0-9a-f]{12}:/);
    expect(sealed).not.toContain("top-secret");
    expect(box.seal("whsec_top-secret", "webhooks.secret")).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, "webhooks.secret")).toBe("whsec_top-secret");
  });

  it("refuses a value sealed for another place, a changed byte, plain text and an unknown key", () => {
    const box = new SecretBox(NEW);
    const sealed = box.seal("abc", "webhooks.secret");
    expect(() => box.open(sealed, "inboxes.identity_secret")).toThrow(SecretBoxError);
    const body = sealed.slice(-6);
    const flipped = sealed.slice(0, -6) + (body[0] === "A" ? "B" : "A") + body.slice(1);
    expect(() => box.open(flipped, "webhooks.secret")).toThrow(/does not decrypt/);
    expect(() => box.open("abc", "webhooks.secret")).toThrow(/not encrypted/);
    expect(() => new SecretBox(OLD).open(sealed, "webhooks.secret")).toThrow(/neither SECRET_KEY nor/);
  });

  it("rotates: the previous key still opens, reseal moves values to the new key", () => {
    const before = new SecretBox(OLD).seal("s3cret", "p");
    const rotating = new SecretBox(NEW, [OLD]);
    expect(rotating.open(before, "p")).toBe("s3cret");
    expect(rotating.needsSealing(before)).toBe(true);
    const after = rotating.reseal(before, "p");
    expect(SecretBox.keyIdOf(after)).toBe(rotating.keyId);
    expect(rotating.needsSealing(after)).toBe(false);
    expect(rotating.reseal(after, "p")).toBe(after);
    expect(new SecretBox(NEW).open(after, "p")).toBe("s3cret");
    // Plain text left by an earlier version is sealed as it is.
    expect(rotating.open(rotating.reseal("legacy", "p"), "p")).toBe("legacy");
  });
});
