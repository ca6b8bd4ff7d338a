import { describe, expect, it } from "vitest";
import { destinationProblem, isAllowedAddress, parseAllowList } from "./destinations.ts";

const none = parseAllowList("");

describe("outgoing destinations (SSRF policy)", () => {
  it("refuses loopback, private, link-local, metadata, multicast and other special addresses", () => {
    for (const address of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::a00:1",
      "2002:7f00:1::",
    ]) {
      expect(isAllowedAddress(address, none), address).toBe(false);
    }
  });

  it("lets public unicast addresses through", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) {
      expect(isAllowedAddress(address, none), address).toBe(true);
    }
  });

  it("allows exactly what OUTBOUND_ALLOW lists", () => {
    const allow = parseAllowList(" 10.20.0.0/16, 127.0.0.1 ,hooks.intranet.bank, fd00::/8");
    expect(isAllowedAddress("10.20.5.6", allow)).toBe(true);
    expect(isAllowedAddress("10.21.5.6", allow)).toBe(false);
    expect(isAllowedAddress("127.0.0.1", allow)).toBe(true);
    expect(isAllowedAddress("::ffff:127.0.0.1", allow)).toBe(true);
    expect(isAllowedAddress("127.0.0.2", allow)).toBe(false);
    expect(isAllowedAddress("fd12::1", allow)).toBe(true);
    expect(allow.hosts.has("hooks.intranet.bank")).toBe(true);
    expect(() => parseAllowList("10.0.0.0/99")).toThrow();
  });

  it("sees through the spellings of an address that a URL allows", () => {
    for (const url of [
      "http://127.0.0.1/",
      "http://2130706433/",
      "http://0x7f.0.0.1/",
      "http://0177.0.0.1/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]:8080/",
      "http://[::1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://0/",
      "http://localhost:3000/",
      "http://api.localhost/",
    ]) {
      expect(destinationProblem(url, ""), url).not.toBeNull();
    }
    expect(destinationProblem("ftp://example.com/", "")).toMatch(/http/);
    expect(destinationProblem("https://hooks.example.com/bankdesk", "")).toBeNull();
    expect(destinationProblem("http://127.0.0.1:9/", "127.0.0.1")).toBeNull();
  });
});
