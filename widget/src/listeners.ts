/** The page's listeners of the widget's events (BankDesk("on", event, fn)). */
export type Listener = (payload?: unknown) => void;

export class Listeners {
  private readonly byEvent = new Map<string, Set<Listener>>();

  add(event: string, fn: Listener): void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(fn);
  }

  remove(event: string, fn: Listener): void {
    this.byEvent.get(event)?.delete(fn);
  }

  emit(event: string, payload?: unknown): void {
    for (const fn of this.byEvent.get(event) ?? []) safeCall(fn, payload);
  }
}

/** Calls a page's listener; its failure is the page's, and must not stop the widget. */
export function safeCall(fn: Listener, payload?: unknown): void {
  try {
    fn(payload);
  } catch (err) {
    console.error("BankDesk: a listener failed", err);
  }
}
