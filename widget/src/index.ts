/**
 * BankDesk chat widget: `<script async src="https://chat.example-bank.com/widget.js">`.
 *
 * The page may call `BankDesk(...)` before this script has loaded through the queue
 * stub (see widget/README.md); the queued calls run here, in order.
 */
import { Widget } from "./widget.ts";
import type { BootSettings } from "./types.ts";

type Api = ((command: string, ...args: unknown[]) => unknown) & Record<string, unknown>;

declare global {
  interface Window {
    BankDesk?: Api & { q?: ArrayLike<unknown>[]; loaded?: boolean };
    BankDeskSettings?: BootSettings;
  }
}

function scriptOrigin(): string {
  const current = document.currentScript as HTMLScriptElement | null;
  const src = current?.src || (document.querySelector('script[src*="widget.js"]') as HTMLScriptElement | null)?.src;
  try {
    if (src) return new URL(src, location.href).origin;
  } catch {
    /* fall back to the page */
  }
  return location.origin;
}

(function install() {
  const existing = window.BankDesk;
  if (existing?.loaded) return; // the script was included twice
  const widget = new Widget(scriptOrigin());
  const api = function BankDesk(command: string, ...args: unknown[]) {
    return widget.command(command, args);
  } as Api;
  for (const name of ["boot", "shutdown", "open", "close", "toggle", "identify", "setLocale", "on", "off"]) {
    api[name] = (...args: unknown[]) => widget.command(name, args);
  }
  api.loaded = true;
  api.version = "1";
  const queue = Array.from(existing?.q ?? []).map((args) => Array.from(args));
  window.BankDesk = api;

  // `on` calls first so that listeners see `ready`, then boot from the settings
  // object unless the queue boots, then everything else in order.
  for (const args of queue) if (args[0] === "on") api(...(args as [string]));
  const queuedBoot = queue.some((args) => args[0] === "boot");
  if (!queuedBoot && window.BankDeskSettings) api("boot", window.BankDeskSettings);
  for (const args of queue) if (args[0] !== "on") api(...(args as [string]));
})();
