import crypto from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A security key in software, for tests of the server's WebAuthn ceremonies without a
 * browser: a P-256 key pair (ES256), a signature counter, and the bytes a real
 * authenticator and browser produce (client data, authenticator data, a "none"
 * attestation, DER signatures), built per the WebAuthn Level 2 spec. Each answer is
 * made for the origin and RP ID it is told, so tests can play a phishing site too.
 */
export class SoftAuthenticator {
  readonly credentialId = crypto.randomBytes(32);
  private readonly keys = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  /** The signature counter the next answer reports (a clone would report an old one). */
  counter = 0;

  get id(): string {
    return this.credentialId.toString("base64url");
  }

  /** Answers PublicKeyCredentialCreationOptionsJSON as navigator.credentials.create and @simplewebauthn/browser would. */
  register(options: { challenge: string; rp: { id?: string } }, at: { origin: string; rpId?: string }) {
    const rpId = at.rpId ?? options.rp.id!;
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID
      Buffer.from([0, this.credentialId.length]),
      this.credentialId,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const authData = this.authenticatorData(rpId, 0x41, attested); // UP | AT
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: {
        clientDataJSON: clientData("webauthn.create", options.challenge, at.origin),
        attestationObject: Buffer.from(attestationObject).toString("base64url"),
        transports: ["usb" as const],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "cross-platform" as const,
    };
  }

  /** Answers PublicKeyCredentialRequestOptionsJSON as navigator.credentials.get would: signs, counting up first. */
  authenticate(
    options: { challenge: string; rpId?: string },
    at: { origin: string; rpId?: string; keepCounter?: boolean; userVerified?: boolean; userHandle?: string },
  ) {
    if (!at.keepCounter) this.counter++;
    const authData = this.authenticatorData(at.rpId ?? options.rpId!, at.userVerified ? 0x05 : 0x01); // UP, and UV when the PIN or fingerprint was asked
    const clientDataJSON = clientData("webauthn.get", options.challenge, at.origin);
    const signed = Buffer.concat([authData, crypto.createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest()]);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: {
        clientDataJSON,
        authenticatorData: authData.toString("base64url"),
        signature: crypto.sign("sha256", signed, this.keys.privateKey).toString("base64url"),
        // A discoverable credential (passkey) says whose it is: the user id given at registration.
        ...(at.userHandle !== undefined && { userHandle: at.userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "cross-platform" as const,
    };
  }

  private authenticatorData(rpId: string, flags: number, attested?: Buffer): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([crypto.createHash("sha256").update(rpId).digest(), Buffer.from([flags]), counter, attested ?? Buffer.alloc(0)]);
  }
}

function clientData(type: string, challenge: string, origin: string): string {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString("base64url");
}
