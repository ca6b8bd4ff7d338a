import type { SecretBox } from "../security/secretBox.ts";
import { sealedColumn } from "../commands/resealSecrets.ts";

/**
 * A single sign-on session's ID token, sealed at rest (it names the user and is signed by
 * the provider): one purpose for both columns, since the sign-in challenge's value moves
 * into the session as it is.
 */
export const SSO_ID_TOKEN = "sso.id_token";

export const sealIdToken = (secrets: SecretBox, idToken: string) => secrets.seal(idToken, SSO_ID_TOKEN);
export const openIdToken = (secrets: SecretBox, stored: string) => secrets.open(stored, SSO_ID_TOKEN);

/** The columns `bankdesk secrets rotate` reseals. */
export const ssoSealedSecrets = (["agent_sessions", "agent_sign_in_challenges"] as const).map((table) =>
  sealedColumn({
    table,
    keys: ["token_hash"],
    column: "sso_id_token",
    where: () => `${table}: an SSO session's ID token`,
    reseal: (secrets, stored) => secrets.reseal(stored, SSO_ID_TOKEN),
  }),
);
