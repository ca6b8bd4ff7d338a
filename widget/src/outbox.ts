import type { KeyValue, OutboxEntry } from "./storage.ts";

/**
 * The customer's messages not yet stored by the server, in the order they were typed, kept in
 * localStorage so a reload or a lost connection loses none (the widget re-sends them in order).
 */
export class Outbox {
  /** The store is the current inbox's: it changes when the widget boots on another inbox. */
  constructor(private readonly store: () => KeyValue<OutboxEntry[]>) {}

  all(): OutboxEntry[] {
    return this.store().get() || [];
  }

  /** This contact's entries and those typed before there was a contact. */
  forContact(contactId: string | undefined): OutboxEntry[] {
    return this.all().filter((e) => !e.contactId || !contactId || e.contactId === contactId);
  }

  update(mutate: (entries: OutboxEntry[]) => OutboxEntry[]): void {
    this.store().set(mutate(this.all()));
  }

  remove(clientId: string): void {
    const all = this.store().get();
    if (all?.some((e) => e.clientId === clientId)) this.store().set(all.filter((e) => e.clientId !== clientId));
  }
}
