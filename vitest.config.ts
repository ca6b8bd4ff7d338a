import { defineConfig } from "vitest/config";

/** The unit tests beside the code they test: no database, no server process, no browser. */
const UNIT = ["server/**/*.test.ts", "shared/**/*.test.ts", "eval/**/*.test.ts", "console/src/**/*.test.ts", "widget/src/**/*.test.ts"];
/** Colocated files that do need the global setup: a test database, or a spawned `bankdesk` CLI. */
const COLOCATED_NEEDING_SETUP = [
  "server/knowledge/KnowledgeSearch.test.ts",
  "server/banking/DemoCoreBanking.test.ts",
  "server/cli/commands/sentiment.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep two workers on this 2-core machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: "silent" },
    projects: [
      {
        // In worker threads, without the global setup (UI and server builds, database
        // templates, Chromium): all 112 colocated files 54.6 -> 49.3 s (load 5 to 6), and a
        // run of only unit files (`npx vitest run --project unit`: 27.8 s) starts none of it.
        extends: true,
        test: { name: "unit", include: UNIT, exclude: COLOCATED_NEEDING_SETUP, pool: "threads" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts", ...COLOCATED_NEEDING_SETUP],
          globalSetup: ["tests/helpers/globalSetup.ts"],
          pool: "forks",
        },
      },
    ],
  },
});
