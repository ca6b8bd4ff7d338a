import { postSession, type SessionError } from "./sessionApi.ts";
import type { Strings } from "./locales/index.ts";
import type { Stores } from "./storage.ts";
import type { Identity, SessionResponse } from "./types.ts";

/** How long a signed-in customer's page has to identify them again before a guest session starts instead. */
const IDENTITY_GRACE_MS = 3000;

/** What the session asks of the widget around it. */
export interface SessionHost {
  /** Bumped by shutdown: an answer to an earlier generation's request is dropped. */
  readonly generation: number;
  readonly booted: boolean;
  readonly inbox: string | undefined;
  readonly stores: Stores;
  origin(): string;
  render(): void;
  /** A session started or resumed (it is `current` already). */
  started(res: SessionResponse): void;
}

/** The wait before trying again after the `failures`-th failed start: 2 s doubling to 30 s, ±20 % so that pages do not retry together. */
export function sessionRetryDelay(failures: number, random = Math.random()): number {
  const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
  return delay * (0.8 + random * 0.4);
}

/**
 * The customer's session (POST /widget/sessions): who the page says the customer is, starting or
 * resuming a session for them once at a time, retrying with back-off when the server cannot be
 * reached, and what to tell the customer when it refuses.
 */
export class SessionKeeper {
  /** The session in force. */
  current?: SessionResponse;
  /** Who the page says the customer is (boot, identify). */
  identity?: Identity;
  /** Why the widget cannot work (not allowed, no such inbox): said in the banner, no retry. */
  fatal?: keyof Strings;
  /** Something to tell the customer (an identity refused, a session ended). */
  notice?: keyof Strings;
  /** The server could not be reached: retrying. */
  connectError = false;
  private pending?: Promise<boolean>;
  /** The identity changed while a start was on its way: start again with the new one. */
  private stale = false;
  private graceUntil = 0;
  private failures = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly host: SessionHost) {}

  get starting(): boolean {
    return !!this.pending;
  }

  /** The last session here was a signed-in customer's: let the page identify them again before starting a guest session. */
  awaitIdentity(): void {
    this.graceUntil = Date.now() + IDENTITY_GRACE_MS;
  }

  /** A session in force, or one started; false when none could be (yet). */
  ensure(): Promise<boolean> {
    if (this.current) return Promise.resolve(true);
    if (!this.host.booted || this.fatal) return Promise.resolve(false);
    if (!this.pending) {
      const gen = this.host.generation;
      clearTimeout(this.timer);
      // The last session here was a signed-in customer's: give the page a moment to
      // identify them again before starting a guest session instead.
      const wait = this.graceUntil - Date.now();
      if (wait > 0 && !(this.identity && this.identity.userId)) {
        this.timer = setTimeout(() => void this.ensure(), wait);
        return Promise.resolve(false);
      }
      this.pending = this.start(gen).finally(() => {
        if (gen === this.host.generation) this.pending = undefined;
      });
    }
    return this.pending;
  }

  /**
   * The page says who the customer is. True when the session in force must make way for a new one
   * (the caller closes its connection, then calls `ensure`); false when nothing changes now (the
   * same signed-in customer, not booted yet, or a start on its way, which starts again when it ends).
   */
  identify(id: Identity, ready: boolean): boolean {
    this.identity = id;
    this.notice = this.fatal = undefined;
    if (!ready) return false; // applied when the session starts
    const saved = this.host.stores.session.get();
    if (this.current && this.current.verified && id.userId && saved?.userId === id.userId && !id.name && !id.email && !id.attributes)
      return false;
    if (this.pending) {
      this.stale = true;
      return false;
    }
    this.current = undefined;
    return true;
  }

  /** Forgets the session in force (its token was refused or revoked); `ensure` starts the next. */
  forget(): void {
    this.current = undefined;
  }

  /** A revoked session: forget it, and the grace for a signed-in customer too, and say so. */
  ended(): void {
    this.current = undefined;
    this.graceUntil = 0;
    this.notice = "sessionEnded";
  }

  /** Shutdown: nothing of this page's customer is kept. */
  reset(): void {
    clearTimeout(this.timer);
    this.current = undefined;
    this.pending = undefined;
    this.stale = false;
    this.graceUntil = 0;
    this.identity = undefined;
    this.fatal = this.notice = undefined;
  }

  private async start(gen: number): Promise<boolean> {
    const stores = this.host.stores;
    const saved = stores.session.get();
    const id = this.identity;
    const body: Record<string, unknown> = { inbox: this.host.inbox };
    if (saved?.token) body.token = saved.token;
    if (id?.userId || id?.identityHash) {
      body.userId = id.userId;
      body.identityHash = id.identityHash;
    }
    if (id?.name) body.name = id.name;
    if (id?.email) body.email = id.email;
    if (id?.emailHash) body.emailHash = id.emailHash;
    if (id?.attributes) body.attributes = id.attributes;

    let res: SessionResponse;
    try {
      res = await postSession(this.host.origin(), body);
    } catch (err) {
      if (gen !== this.host.generation) return false;
      const e = err as SessionError;
      if (this.stale) {
        this.stale = false;
        return this.start(gen);
      }
      if (id && (e.status === 400 || (e.status === 401 && body.userId))) {
        // A refused identity (or invalid contact details): never silently someone
        // else; drop it, say so, continue as a guest.
        console.warn("BankDesk:", e.message);
        if (e.status === 401) this.notice = "identityError";
        this.identity = undefined;
        return this.start(gen);
      }
      if (e.status === 401 || e.status === 403 || e.status === 404) {
        console.error("BankDesk:", e.message);
        this.fatal = e.status === 401 ? "notAllowed" : "connectError";
        this.host.render();
        return false;
      }
      this.connectError = true;
      this.failures++;
      this.timer = setTimeout(() => void this.ensure(), sessionRetryDelay(this.failures));
      this.host.render();
      return false;
    }
    if (gen !== this.host.generation) return false;
    if (this.stale) {
      // Keep the new token (the server made it), then start again for the identity the page gave since.
      this.stale = false;
      stores.session.set({
        ...(saved ?? { contactId: res.contact.id, verified: res.verified }),
        token: res.token,
        contactId: res.contact.id,
        verified: res.verified,
      });
      return this.start(gen);
    }
    this.failures = 0;
    this.connectError = false;
    this.current = res;
    this.host.started(res);
    return true;
  }
}
