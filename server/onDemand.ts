import { createRequire } from "node:module";

const requireModule = createRequire(import.meta.url);

/**
 * A CommonJS library loaded with its first use, synchronously, instead of when the
 * importing module loads: for libraries that cost idle memory in every process but only
 * some requests or processes use (README, "Idle memory"; tests/architecture/startupImports
 * keeps them out of a process at start). ESM's `import` of a CommonJS library shares
 * this cache, so a library loaded both ways is one copy.
 */
export function onDemand<T>(library: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireModule(library) as T);
}
