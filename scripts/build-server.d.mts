// Types of build-server.mjs, for the test that builds with it (tests/integration/compiledStart.test.ts).
export declare function buildServer(options?: { root?: string; outDir?: string }): Promise<{ modules: number }>;
