import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Logger } from "../../logger.ts";
import { parseInput } from "../../validation.ts";
import { toAppError } from "../../errors.ts";
import type { Ack as WireAck } from "../../../shared/wire/index.ts";

/** Answers a request with the wire contract's acknowledgement (shared/wire/acks.ts). */
export type Ack = (response: WireAck<Record<string, unknown>>) => void;

/**
 * Wraps a socket event handler: validates the payload with its schema, answers
 * through the acknowledgement with `{ok:true,...}` or `{ok:false,error}`, and never
 * lets an error escape to break the connection or the process.
 */
export function on<S extends z.ZodType>(
  socket: Socket,
  logger: Logger,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<Record<string, unknown> | void>,
) {
  socket.on(event, async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    try {
      const payload = parseInput(schema, args[0] ?? {}, `${event} payload`);
      const result = await handler(payload);
      ack?.({ ok: true, ...(result ?? {}) });
    } catch (err) {
      const e = toAppError(err);
      if (e.status >= 500) logger.error({ err: (e as { cause?: unknown }).cause ?? err, event }, "socket handler failed");
      ack?.({ ok: false, error: e.toJSON().error });
    }
  });
}
