import dns from "node:dns";
import net from "node:net";
import type { Agent, Response } from "undici";
import { loadUndici } from "./undici.ts";
import { BlockedDestinationError, isAllowedAddress, parseAllowList, type OutboundAllowList } from "./destinations.ts";

/**
 * Every HTTP request BankDesk makes to an address someone typed (outgoing
 * webhooks, the API channel's webhook, channel providers' base URLs) goes through
 * here, so that a URL cannot turn the server into a probe of the bank's own
 * network (SSRF): no loopback, private, link-local (cloud metadata), multicast or
 * otherwise special address, however it is written (decimal, hex, IPv6-mapped;
 * the URL parser normalises the first two, ipaddr.js the third), unless the
 * operator allows it with OUTBOUND_ALLOW.
 *
 * The check runs on the address the connection is actually made to: the
 * hostname is resolved inside the connection's own lookup, so a name that
 * answers with a public address to a first query and a private one to the
 * second (DNS rebinding) gains nothing. Redirects are never followed.
 */

/** dns.lookup with the destination check applied to every address the name resolves to. */
function guardedLookup(allow: OutboundAllowList) {
  return (hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as dns.LookupAddress[];
      const allowedHost = allow.hosts.has(hostname.toLowerCase());
      const blocked = allowedHost ? undefined : list.find((a) => !isAllowedAddress(a.address, allow));
      if (blocked) return callback(new BlockedDestinationError(blocked.address));
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface OutboundRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface OutboundHttp {
  /**
   * One request to a URL someone configured. Throws BlockedDestinationError for a
   * forbidden destination, TypeError for a connection failure and a TimeoutError
   * on time-out; a redirect comes back as its 3xx response, never followed.
   */
  request(url: string, init: OutboundRequest): Promise<Response>;
  close(): Promise<void>;
}

export function createOutboundHttp(allowSetting: string | undefined): OutboundHttp {
  const allow = parseAllowList(allowSetting);
  let agent: Agent | undefined;
  return {
    async request(url, init) {
      const target = new URL(url);
      if (target.protocol !== "http:" && target.protocol !== "https:") throw new BlockedDestinationError(target.protocol);
      // An address literal is connected to without any lookup: check it here.
      const host = target.hostname.replace(/^\[|\]$/g, "");
      if (net.isIP(host) && !isAllowedAddress(host, allow)) throw new BlockedDestinationError(host);
      try {
        const undici = loadUndici();
        agent ??= new undici.Agent({ connect: { lookup: guardedLookup(allow) as never } });
        return await undici.fetch(target, {
          method: init.method,
          headers: init.headers,
          body: init.body,
          redirect: "manual",
          dispatcher: agent,
          signal: AbortSignal.timeout(init.timeoutMs),
        });
      } catch (err) {
        // undici wraps the lookup's error as the cause of "fetch failed".
        const cause = (err as { cause?: unknown }).cause;
        if (cause instanceof BlockedDestinationError) throw cause;
        throw err;
      }
    },
    close: async () => agent?.close(),
  };
}
