import { isIP } from "node:net";

/**
 * Who BankDesk is to a security key (WebAuthn): the relying-party ID the key's
 * credentials are scoped to, and the origins the console may be opened from. A key
 * signs the origin the browser really showed and the RP ID's hash, so an assertion
 * made on a look-alike site is refused here: that is what makes the factor
 * phishing-resistant, and why both come from configuration, never from a request.
 */
export interface RelyingParty {
  id: string;
  name: string;
  /** Exact origins; `localhost` outside production without configuration: http://localhost on any port. */
  origins: string[] | "localhost";
}

type RelyingPartySettings = {
  WEBAUTHN_RP_ID?: string;
  WEBAUTHN_ORIGINS?: string[];
  PUBLIC_URL?: string;
  NODE_ENV?: string;
};

const LOCAL_ORIGIN = /^http:\/\/localhost(:\d{1,5})?$/;

/**
 * From WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS, else from PUBLIC_URL (its host and origin).
 * Undefined (security keys unavailable) in production without either, or when the only
 * host known is an IP address, which WebAuthn does not accept as an RP ID; outside
 * production then, a developer's http://localhost.
 */
export function relyingPartyOf(e: RelyingPartySettings): RelyingParty | undefined {
  const publicUrl = e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : undefined;
  // Browsers offer WebAuthn only on https:// or http://localhost.
  const secure = publicUrl && (publicUrl.protocol === "https:" || publicUrl.hostname === "localhost");
  const publicOrigin = secure ? publicUrl.origin : undefined;
  const origins = e.WEBAUTHN_ORIGINS ?? (publicOrigin ? [publicOrigin] : undefined);
  const id = e.WEBAUTHN_RP_ID ?? (origins ? new URL(origins[0]!).hostname : undefined);
  if (id && !isIP(id.replace(/^\[|\]$/g, ""))) return { id, name: "BankDesk", origins: origins ?? [`https://${id}`] };
  if (e.NODE_ENV === "production") return undefined;
  return { id: "localhost", name: "BankDesk", origins: "localhost" };
}

/** Whether a browser-reported origin (from the key's signed client data) is one the console is served from. */
export function allowsOrigin(rp: RelyingParty, origin: string): boolean {
  return rp.origins === "localhost" ? LOCAL_ORIGIN.test(origin) : rp.origins.includes(origin);
}

/** A configuration that could never work, for config.ts to stop the process at start with. */
export function relyingPartyProblem(e: RelyingPartySettings): { variable: string; message: string } | undefined {
  if (e.WEBAUTHN_RP_ID && isIP(e.WEBAUTHN_RP_ID)) {
    return { variable: "WEBAUTHN_RP_ID", message: "must be a host name: WebAuthn does not accept an IP address" };
  }
  // Derived from PUBLIC_URL alone, nothing can be wrong: at worst security keys are unavailable.
  if (!e.WEBAUTHN_RP_ID && !e.WEBAUTHN_ORIGINS) return undefined;
  const rp = relyingPartyOf(e);
  if (!rp || rp.origins === "localhost") return undefined;
  for (const origin of rp.origins) {
    const url = new URL(origin);
    if (url.origin !== origin)
      return { variable: "WEBAUTHN_ORIGINS", message: `${origin} is not an origin (scheme://host[:port], no path)` };
    if (url.hostname !== rp.id && !url.hostname.endsWith(`.${rp.id}`)) {
      return { variable: "WEBAUTHN_ORIGINS", message: `${origin} is not on the relying party ${rp.id} (WEBAUTHN_RP_ID)` };
    }
    if (e.NODE_ENV === "production" && url.protocol !== "https:" && url.hostname !== "localhost") {
      return { variable: "WEBAUTHN_ORIGINS", message: `${origin} must be https:// when NODE_ENV=production` };
    }
  }
  return undefined;
}
