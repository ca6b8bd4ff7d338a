import { describe, expect, it, vi } from "vitest";
import type { Namespace, Socket } from "socket.io";
import type { z } from "zod";
import type { AppContext } from "../../context.ts";

/** The schema each socket event was registered with, per connected socket (socketHandler.ts's `on`, recorded). */
const registered = vi.hoisted(() => [] as Array<Map<string, unknown>>);
vi.mock("./socketHandler.ts", () => ({
  on: (socket: { registered: Map<string, unknown> }, _logger: unknown, event: string, schema: unknown) =>
    void socket.registered.set(event, schema),
}));
const { widgetNamespace } = await import("./widgetNamespace.ts");

/** A customer's socket as the connection handler reads it, authenticated by the namespace's middleware (not run here). */
function connectedSocket(contactId: string) {
  const socket = {
    data: { contactId, sessionHash: `hash-${contactId}`, inboxId: "inbox", verified: false },
    handshake: { address: "10.0.0.1" },
    registered: new Map<string, unknown>(),
    use: () => {},
    on: () => {},
    join: () => Promise.resolve(),
  };
  registered.push(socket.registered);
  return socket as unknown as Socket;
}

function namespace() {
  let onConnection: ((socket: Socket) => void) | undefined;
  const nsp = { use: () => {}, on: (_event: string, fn: (socket: Socket) => void) => void (onConnection = fn) };
  const ctx = { config: { REDIS_PREFIX: "test", MAX_MESSAGE_LENGTH: 120 }, logger: { warn: () => {} } } as unknown as AppContext;
  widgetNamespace(nsp as unknown as Namespace, ctx);
  return (contactId: string) => onConnection!(connectedSocket(contactId));
}

describe("widgetNamespace", () => {
  it("validates every socket's requests with the namespace's schemas, built once, not per connection", () => {
    registered.length = 0;
    const connect = namespace();
    connect("c-1");
    connect("c-2");
    const [first, second] = registered as [Map<string, unknown>, Map<string, unknown>];
    expect([...first.keys()]).toEqual(expect.arrayContaining(["message:send", "stepup:verify", "stepup:resend"]));
    expect(first.size).toBeGreaterThanOrEqual(10);
    for (const [event, schema] of first) expect(second.get(event), event).toBe(schema);
  });

  it("refuses a message longer than the configured maximum", () => {
    registered.length = 0;
    namespace()("c-1");
    const send = registered[0]!.get("message:send") as z.ZodType;
    expect(send.safeParse({ clientId: "a", content: "x".repeat(120) }).success).toBe(true);
    const long = send.safeParse({ clientId: "a", content: "x".repeat(121) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.message).toBe("A message may have at most 120 characters");
  });
});
