import type { Command } from "commander";

/**
 * Sub-commands of feature areas (kb, chat, classify, sentiment, secrets, access-log, privacy), loaded lazily
 * so `bankdesk --help` stays fast.
 */
export async function cliCommands(): Promise<Command[]> {
  const loaders: Array<() => Promise<{ default: () => Command | Command[] }>> = [
    () => import("./commands/kb.ts"),
    () => import("./commands/chat.ts"),
    () => import("./commands/classify.ts"),
    () => import("./commands/sentiment.ts"),
    () => import("./commands/secrets.ts"),
    () => import("./commands/accessLog.ts"),
    () => import("./commands/privacy.ts"),
  ];
  const out: Command[] = [];
  for (const load of loaders) {
    const c = (await load()).default();
    out.push(...(Array.isArray(c) ? c : [c]));
  }
  return out;
}
