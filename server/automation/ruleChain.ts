import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The rules whose actions are running now, innermost last. A rule's actions run
 * inside `withinRules` (automation/runAutomationRules.ts), so the domain events those
 * actions emit are heard with the chain that caused them (events are emitted
 * synchronously, in the same async context): the listener puts it on the job, and
 * the job skips every rule already in it. A rule never re-triggers itself, directly
 * or through another rule; chains are short besides (MAX_CHAIN).
 */
const running = new AsyncLocalStorage<readonly string[]>();

/** Rules caused by rules caused by rules...: beyond this, events caused by rules trigger none. */
export const MAX_CHAIN = 3;

export function currentRuleChain(): readonly string[] {
  return running.getStore() ?? [];
}

export function withinRules<T>(chain: readonly string[], fn: () => Promise<T>): Promise<T> {
  return running.run(chain, fn);
}
