import type { Attachment } from "./types.ts";

/** One stored value: what the widget's parts read and write (a Store, or memory in tests). */
export interface KeyValue<T> {
  get(): T | undefined;
  set(value: T | undefined): void;
}

/**
 * localStorage, namespaced per inbox, that never throws (private mode, quota,
 * storage disabled by policy): the widget then simply forgets across reloads.
 */
export class Store<T> implements KeyValue<T> {
  /** A null key stores nothing (after shutdown). */
  constructor(private readonly key: string | null) {}

  get(): T | undefined {
    if (this.key === null) return undefined;
    try {
      const raw = window.localStorage.getItem(this.key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  set(value: T | undefined): void {
    if (this.key === null) return;
    try {
      if (value === undefined) window.localStorage.removeItem(this.key);
      else window.localStorage.setItem(this.key, JSON.stringify(value));
    } catch {
      /* storage unavailable: keep working in memory */
    }
  }
}

/** What the widget keeps for an inbox between page loads. */
export interface SavedSession {
  token: string;
  contactId: string;
  verified: boolean;
  userId?: string;
  conversationId?: string;
  /** The customer asked for a new conversation: do not reopen the latest one. */
  fresh?: boolean;
}

/** A customer message not yet acknowledged by the server (or refused: `failed`). */
export interface OutboxEntry {
  clientId: string;
  /** Already uploaded files the message carries (by id). */
  attachments?: Attachment[];
  contactId?: string;
  conversationId?: string;
  content: string;
  createdAt: string;
  failed?: { code: string; message: string };
}

export interface SavedUi {
  open?: boolean;
  /** Conversation id → highest seq the customer has seen. */
  read?: Record<string, number>;
  /** Conversation id → seq at which the customer rated (or skipped rating). */
  rated?: Record<string, number>;
  /** Conversation id → seq at which the customer answered (or skipped) the recommendation question. */
  npsAnswered?: Record<string, number>;
}

/** The three stores of an inbox (a null inbox: stores that keep nothing, after shutdown). */
export interface Stores {
  session: KeyValue<SavedSession>;
  outbox: KeyValue<OutboxEntry[]>;
  ui: KeyValue<SavedUi>;
}

export function storesFor(inbox: string | null): Stores {
  const key = (name: string) => (inbox === null ? null : `bankdesk:${inbox}:${name}`);
  return {
    session: new Store<SavedSession>(key("session")),
    outbox: new Store<OutboxEntry[]>(key("outbox")),
    ui: new Store<SavedUi>(key("ui")),
  };
}

/** Writes some fields of the saved UI state, keeping the others. */
export function patchUi(store: KeyValue<SavedUi>, patch: Partial<SavedUi>): void {
  store.set({ ...(store.get() || {}), ...patch });
}
