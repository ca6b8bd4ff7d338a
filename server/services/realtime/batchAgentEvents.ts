import { AGENT_EVENTS, type AgentEvents } from "../../../shared/wire/index.ts";
import type { Broadcaster } from "./Broadcaster.ts";

/**
 * Agents' consoles receive every conversation's events: under load (2,000
 * customers, 50 agents, 100 messages a second: eval/bench/load.ts) that was one
 * WebSocket frame and one system call per event per agent, the largest share of
 * the server's CPU. Events that follow one another within BATCH_WINDOW_MS, for the
 * same rooms, go as one "events" packet: `[[event, payload], ...]` in order.
 *
 * When it is quiet nothing waits: the first event goes out at once, on its own and
 * under its own name; only what follows it within the window is batched. Events
 * for other rooms close the open batch first, so every agent still receives the
 * events in the order they happened. Clients unpack the packet (console/src/realtime.ts).
 */
export const AGENT_EVENTS_BATCH = AGENT_EVENTS.batch;
export const BATCH_WINDOW_MS = 50;
type AgentBatchItem = AgentEvents["events"][number];
const MAX_BATCH = 100;

export interface BatchingBroadcaster extends Broadcaster {
  /** Sends what is waiting now (shutdown). */
  flush(): void;
}

export function batchAgentEvents(inner: Broadcaster, windowMs = BATCH_WINDOW_MS): BatchingBroadcaster {
  let open: { key: string; rooms: string[]; items: AgentEvents["events"] } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (!open) return;
    const { rooms, items } = open;
    open = undefined;
    // Each item was checked against the contract when it was sent to this broadcaster.
    if (items.length === 1) inner.to("/agent", rooms, items[0]![0], items[0]![1] as never);
    else inner.to("/agent", rooms, AGENT_EVENTS_BATCH, items);
  };
  // At the end of each window: send the batch, and keep batching while events keep coming.
  const tick = () => {
    const busy = open !== undefined;
    flush();
    timer = busy ? setTimeout(tick, windowMs) : undefined;
    timer?.unref();
  };

  return {
    to(namespace, rooms, event, payload, except) {
      if (namespace !== "/agent") return inner.to(namespace, rooms, event, payload, except);
      if (except?.length) {
        // Not batched (a batch has one audience): what came before still goes first.
        flush();
        return inner.to(namespace, rooms, event, payload, except);
      }
      if (!timer) {
        inner.to(namespace, rooms, event, payload);
        timer = setTimeout(tick, windowMs);
        timer.unref();
        return;
      }
      const key = rooms.join("\n");
      if (open && (open.key !== key || open.items.length >= MAX_BATCH)) flush();
      // In /agent by now (narrowing does not reach a generic's key).
      (open ??= { key, rooms, items: [] }).items.push([event as AgentBatchItem[0], payload]);
    },
    disconnect(namespace, rooms) {
      // What was said before the close goes first.
      if (namespace === "/agent") flush();
      inner.disconnect(namespace, rooms);
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      flush();
    },
  };
}
