import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "server/**/*.test.ts",
      "shared/**/*.test.ts",
      "tests/**/*.test.ts",
      "eval/**/*.test.ts",
      "console/src/**/*.test.ts",
      "widget/src/**/*.test.ts",
    ],
    globalSetup: ["tests/helpers/globalSetup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep two workers on this 2-core machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: "silent" },
  },
});
