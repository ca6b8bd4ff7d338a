import { z } from "zod";

/** base64url, bounded: attestation objects of real keys stay well under 16 KB. */
const b64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "base64url expected")
    .min(1)
    .max(max);
const transports = z.array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"])).max(8);
const attachment = z.enum(["platform", "cross-platform"]).optional();
/** Extension outputs are not used; they are accepted only as the small object browsers send. */
const extensions = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 2000, "too large");

/** What @simplewebauthn/browser's startRegistration() answers (RegistrationResponseJSON). */
export const registrationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4000),
    attestationObject: b64url(16_000),
    authenticatorData: b64url(16_000).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4000).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
});

/** What @simplewebauthn/browser's startAuthentication() answers (AuthenticationResponseJSON). */
export const authenticationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4000),
    authenticatorData: b64url(4000),
    signature: b64url(2000),
    userHandle: b64url(200).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensions,
});

/** A name the agent gives a key, to tell them apart in the list ("YubiKey on my keyring"). */
export const securityKeyName = z
  .string()
  .trim()
  .min(1, "Name the key")
  .max(60, "At most 60 characters")
  .refine((v) => !/\p{Cc}/u.test(v), "No control characters");
