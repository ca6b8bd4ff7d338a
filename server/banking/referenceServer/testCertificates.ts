import { generate } from "selfsigned";

export interface TestCertificates {
  /** The throwaway CA: it signed both certificates below. */
  ca: { cert: string; key: string };
  /** For the reference server: valid for localhost, 127.0.0.1 and ::1. */
  server: { cert: string; key: string };
  /** For BankDesk as the core's client (mutual TLS). */
  client: { cert: string; key: string };
}

/**
 * A test CA and a server and a client certificate it signed, made fresh each time
 * (nothing private is checked in): for the adapter's mutual-TLS tests and the
 * reference server's `--tls-dir`. Never for a real bank: its CA is its own.
 * `selfsigned` is a development dependency, as this is.
 */
export async function generateTestCertificates(days = 2): Promise<TestCertificates> {
  const notAfterDate = new Date(Date.now() + days * 86_400_000);
  const base = { keyType: "ec" as const, curve: "P-256" as const, algorithm: "sha256", notAfterDate };
  const ca = await generate([{ name: "commonName", value: "BankDesk test CA (throwaway)" }], {
    ...base,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signedBy = { key: ca.private, cert: ca.cert };
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    ...base,
    ca: signedBy,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  const client = await generate([{ name: "commonName", value: "bankdesk-test-client" }], {
    ...base,
    ca: signedBy,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });
  return {
    ca: { cert: ca.cert, key: ca.private },
    server: { cert: server.cert, key: server.private },
    client: { cert: client.cert, key: client.private },
  };
}
