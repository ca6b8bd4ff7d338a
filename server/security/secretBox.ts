import crypto from "node:crypto";

/**
 * Secrets at rest (security finding 7): inbox identity secrets, channel
 * credentials and outgoing-webhook signing secrets are stored encrypted, so a
 * database dump, a backup or a read-only SQL account does not hand out the
 * keys to sign in as any customer or to post as the bank.
 *
 * AES-256-GCM (authenticated: a changed byte is refused, not decrypted to
 * garbage) with a key derived from SECRET_KEY by HKDF-SHA256. Each value
 * carries the id of the key that sealed it, so SECRET_KEY can be rotated:
 * start with the new key and the old one in SECRET_KEY_PREVIOUS, run
 * `bankdesk secrets rotate`, then drop the old key. The value is bound to
 * where it is stored (the `purpose`, e.g. "webhooks.secret") as associated
 * data, so a sealed value copied into another column does not open.
 *
 * Stored form: `sealed:v1:<key id>:<iv>:<ciphertext and tag>` (base64url).
 */

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(secretKey: string): Key {
  const key = Buffer.from(crypto.hkdfSync("sha256", secretKey, "bankdesk", "secrets at rest v1", 32));
  // The id names the key without revealing it: a MAC of a constant under the key.
  const id = crypto.createHmac("sha256", key).update("key id").digest("hex").slice(0, 12);
  return { id, key };
}

export class SecretBox {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  /** `previous`: keys still accepted for opening (rotation), never used to seal. */
  constructor(secretKey: string, previous: readonly string[] = []) {
    this.current = deriveKey(secretKey);
    this.byId = new Map([this.current, ...previous.map(deriveKey)].map((k) => [k.id, k]));
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.current.id;
  }

  static isSealed(value: unknown): value is string {
    return typeof value === "string" && value.startsWith(PREFIX);
  }

  /** The id of the key a stored value was sealed with (null for plain text). */
  static keyIdOf(value: string): string | null {
    return SecretBox.isSealed(value) ? (value.slice(PREFIX.length).split(":")[0] ?? null) : null;
  }

  seal(plaintext: string, purpose: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.current.id}:${iv.toString("base64url")}:${body.toString("base64url")}`;
  }

  /** The plain text of a sealed value; a value that is not sealed, or not by a known key, is an error. */
  open(stored: string, purpose: string): string {
    if (!SecretBox.isSealed(stored)) throw new SecretBoxError(`${purpose} is not encrypted (run \`bankdesk secrets rotate\`)`);
    const [id, iv, body] = stored.slice(PREFIX.length).split(":");
    const key = id ? this.byId.get(id) : undefined;
    if (!key) throw new SecretBoxError(`${purpose} was encrypted with a key that is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS`);
    const raw = Buffer.from(body ?? "", "base64url");
    const nonce = Buffer.from(iv ?? "", "base64url");
    if (nonce.length !== IV_BYTES || raw.length < TAG_BYTES) throw new SecretBoxError(`${purpose} is damaged`);
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key.key, nonce);
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(0, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(`${purpose} does not decrypt: damaged, or stored for another purpose`);
    }
  }

  /** True when a stored value must be sealed (again): plain text, or sealed with an older key. */
  needsSealing(stored: string): boolean {
    return SecretBox.keyIdOf(stored) !== this.current.id;
  }

  /** The value sealed with the current key, opening it first if an older key sealed it. */
  reseal(stored: string, purpose: string): string {
    if (!this.needsSealing(stored)) return stored;
    return this.seal(SecretBox.isSealed(stored) ? this.open(stored, purpose) : stored, purpose);
  }
}
