import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which addresses BankDesk's outgoing requests may reach (the SSRF policy used by
 * outboundHttp.ts at connect time and by forms at save time): public unicast
 * addresses, plus what the operator lists in OUTBOUND_ALLOW.
 */

export class BlockedDestinationError extends Error {
  constructor(readonly address: string) {
    super(`The destination address ${address} is not allowed (private, loopback, link-local or reserved); OUTBOUND_ALLOW can permit it`);
    this.name = "BlockedDestinationError";
  }
}

/** What OUTBOUND_ALLOW permits beyond public unicast addresses: networks and exact host names. */
export interface OutboundAllowList {
  networks: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  hosts: Set<string>;
}

/** Parses OUTBOUND_ALLOW: a comma-separated list of CIDR networks, single addresses and host names. */
export function parseAllowList(value: string | undefined): OutboundAllowList {
  const list: OutboundAllowList = { networks: [], hosts: new Set() };
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes("/")) list.networks.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const addr = ipaddr.parse(entry);
      list.networks.push([addr, addr.kind() === "ipv4" ? 32 : 128]);
    } else list.hosts.add(entry);
  }
  return list;
}

/** The address as the kernel will use it: IPv4-mapped IPv6 (::ffff:127.0.0.1) is IPv4. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  return parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** True when the address may be reached: public unicast, or inside an allowed network. */
export function isAllowedAddress(address: string, allow: OutboundAllowList): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = normalise(address);
  } catch {
    return false;
  }
  for (const [network, bits] of allow.networks) {
    const candidate = network.kind() === addr.kind() ? addr : null;
    if (candidate && candidate.match([network, bits] as never)) return true;
  }
  // Everything ipaddr.js does not call plain "unicast" is special: private, loopback,
  // linkLocal (169.254.169.254 metadata), carrierGradeNat, uniqueLocal, multicast,
  // 6to4/teredo/NAT64 (which embed IPv4 addresses), reserved, unspecified…
  return addr.range() === "unicast";
}

/**
 * Why a URL typed into a form will be refused at send time, if that can be told
 * now (scheme, an address literal, "localhost"); names that resolve to a private
 * address are caught when the request is made.
 */
export function destinationProblem(url: string, allowSetting: string | undefined): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return "is not a valid URL";
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return "must be an http or https URL";
  const allow = parseAllowList(allowSetting);
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (allow.hosts.has(host)) return null;
  if (net.isIP(host)) return isAllowedAddress(host, allow) ? null : "points at a private, loopback or reserved address";
  if (host === "localhost" || host.endsWith(".localhost")) return "points at this machine";
  return null;
}
