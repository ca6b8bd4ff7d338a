import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: Redis outage, PostgreSQL restart and a worker killed
 * mid-job, each against PRIVATE PostgreSQL and Redis servers the test starts on free
 * ports (never the shared ones on 5432/6379). Not part of `npm test`: the files end
 * in `.fault.ts`, which the main config does not include. One file at a time: each
 * runs several server processes.
 */
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.fault.ts"],
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: "silent" },
  },
});
