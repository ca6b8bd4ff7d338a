/**
 * Whether the bank's own mail relay authenticated an incoming message's sender, read
 * from the Authentication-Results header it adds (RFC 8601). Only the topmost such
 * header is read (a relay prepends its own), and only when its authserv-id is the one
 * configured for the inbox (`authServId`): a compliant relay removes any header
 * carrying its id that arrived from outside, so a sender cannot forge one. The sender
 * counts as authenticated on `dmarc=pass` for the From address's own domain
 * (`header.from`): DMARC ties the From domain to SPF or DKIM, which a From header
 * alone does not.
 */
export function senderAuthenticated(
  headerLines: ReadonlyArray<{ key: string; line: string }>,
  authServId: string | undefined,
  fromAddress: string,
): boolean {
  if (!authServId) return false;
  const top = headerLines.find((h) => h.key.toLowerCase() === "authentication-results");
  if (!top) return false;
  const value = top.line
    .replace(/^[^:]*:/, "")
    .replace(/\r?\n[ \t]+/g, " ")
    // Comments ("(p=reject dis=none)") carry nothing to decide on.
    .replace(/\([^()]*\)/g, " ");
  const [servId, ...results] = value.split(";").map((p) => p.trim());
  // The authserv-id may be followed by a version number ("mx.bank.example 1").
  if (servId?.split(/\s+/)[0]?.toLowerCase() !== authServId.toLowerCase()) return false;
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1).toLowerCase();
  return results.some((r) => {
    const [method, ...props] = r.split(/\s+/);
    if (method?.toLowerCase() !== "dmarc=pass") return false;
    return props.some((p) => {
      const [key, v] = p.split("=");
      return key?.toLowerCase() === "header.from" && v?.replace(/^"|"$/g, "").toLowerCase() === domain;
    });
  });
}
