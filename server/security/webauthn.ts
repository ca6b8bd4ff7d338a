/**
 * The WebAuthn library (@simplewebauthn/server and its helpers), loaded at the first
 * security-key ceremony: it holds about 20 MB that a process whose staff never use a
 * key would otherwise carry (idle RSS, `npm run bench -- message-path`).
 */
let loaded: Promise<typeof import("@simplewebauthn/server") & typeof import("@simplewebauthn/server/helpers")> | undefined;

export function webauthn() {
  return (loaded ??= Promise.all([import("@simplewebauthn/server"), import("@simplewebauthn/server/helpers")]).then(
    ([server, helpers]) => ({
      ...server,
      ...helpers,
    }),
  ));
}
