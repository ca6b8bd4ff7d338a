#!/usr/bin/env node
// The `bankdesk` command. TypeScript sources run through tsx's loader, so there is
// no separate build step for the server.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
