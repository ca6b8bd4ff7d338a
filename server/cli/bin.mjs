#!/usr/bin/env node
// The `bankdesk` command. Runs the server compiled ahead of time (dist/node, `npm run build`)
// when that output was built from exactly the sources here (compiledServer.mjs has the rule);
// otherwise — a fresh clone before its first build, a source edited since — the TypeScript
// sources through tsx's loader, as in development and tests.
import { compiledEntry } from "./compiledServer.mjs";

const entry = compiledEntry();
if (entry) {
  await import(entry);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./main.ts");
}
