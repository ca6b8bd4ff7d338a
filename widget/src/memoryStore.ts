import type { KeyValue } from "./storage.ts";

/** A value kept in memory, as a Store keeps it in localStorage: for the unit tests of the parts that read stores. */
export class MemoryStore<T> implements KeyValue<T> {
  constructor(private value?: T) {}

  get(): T | undefined {
    return this.value === undefined ? undefined : (JSON.parse(JSON.stringify(this.value)) as T);
  }

  set(value: T | undefined): void {
    this.value = value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
}
