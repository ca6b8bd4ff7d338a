import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

/** How long a call waits for the shared count before this node's own decides (a Redis round trip is ~1 ms). */
const REDIS_LIMIT_WAIT_MS = 250;

/** Consumes one point for a key; rejects when over the limit. */
export type Limit = (key: string) => Promise<unknown>;

/** Where limits are counted across nodes: the shared Redis and the deployment's key prefix. */
export interface SharedLimitStore {
  client: Redis;
  prefix: string;
}

/**
 * A rate limit of `points` per `seconds` for each key. With Redis the counts are shared
 * by every node (a flood spread over nodes is still one flood): one Redis call per use,
 * none once a key is over its limit (blocked in memory until its window ends), and this
 * node's own count stands in while Redis is away: at once when the connection is not
 * ready, and after REDIS_LIMIT_WAIT_MS for a call the outage caught in flight (the shared
 * client queues commands until Redis is back, which held every message for the 30 s
 * outage in tests/faults/redisOutage). Without Redis there is one node, and the counts
 * live in its memory.
 */
export function sharedLimit(store: SharedLimitStore | undefined, points: number, seconds: number, name: string): Limit {
  const local = new RateLimiterMemory({ points, duration: seconds, keyPrefix: name });
  if (!store) return (key) => local.consume(key);
  const shared = new RateLimiterRedis({
    storeClient: store.client,
    points,
    duration: seconds,
    keyPrefix: `${store.prefix}:limit:${name}`,
    inMemoryBlockOnConsumed: points,
    rejectIfRedisNotReady: true,
    insuranceLimiter: local,
  });
  return (key) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => local.consume(key).then(resolve, reject), REDIS_LIMIT_WAIT_MS);
    });
    return Promise.race([shared.consume(key), late]).finally(() => clearTimeout(timer));
  };
}
