import { io, type Socket } from "socket.io-client";
import { Chat, type ChatItem } from "./chat.ts";
import { canRate, feedbackState, type SentFeedback } from "./feedback.ts";
import { View, type CsatMode, type ViewActions, type ViewState } from "./ui/view.ts";
import { format, resolveLocale, strings, type Locale, type Strings } from "./locales/index.ts";
import { storesFor, uuid, type OutboxEntry, type SavedSession, type SavedUi, type Stores } from "./storage.ts";
import { postSession, type SessionError } from "./sessionApi.ts";
import { cleanIdentity } from "./identity.ts";
import { Listeners, safeCall, type Listener } from "./listeners.ts";
import { Outbox } from "./outbox.ts";
import { CJK, EMAIL, HUMAN, plain } from "./text.ts";
import { ExpiringFlag } from "./expiringFlag.ts";
import type {
  Ack,
  AckError,
  AnswerRating,
  Attachment,
  Availability,
  BootSettings,
  ConversationSummary,
  Identity,
  ServerMessage,
  ServerStepUp,
  SessionResponse,
  StreamEvent,
  TypingEvent,
} from "./types.ts";
import { WIDGET_EVENTS, WIDGET_NAMESPACE, WIDGET_REQUESTS, type WidgetEvents, type WidgetRequests } from "../../shared/wire/index.ts";

const MAX_LENGTH = 4000;
const ACK_TIMEOUT_MS = 15_000;
const SYNC_PAGE = 500;
export type WidgetEvent = "ready" | "open" | "close" | "message" | "unread" | "handoff";
const COMMANDS = ["boot", "shutdown", "open", "close", "identify", "setLocale", "on", "off"];

/** What the widget reads from REST answers. */
interface ApiJson {
  /** `details`: the invalid fields (`[{path}]`, 400) or why a token was refused (`{reason}`, 401). */
  error?: { code?: string; message?: string; details?: unknown };
  attachment?: Attachment;
  contact?: SessionResponse["contact"];
  online?: boolean;
  hours?: string;
}

/**
 * The widget: session, socket, outbox and transcript, drawn by `View`.
 *
 * Reliability: every customer message gets a client id and is written to an outbox
 * in localStorage before anything is sent; it leaves the outbox only once the
 * server has stored it (acknowledgement, or the broadcast of the stored message).
 * After every (re)connect the outbox is re-sent in order (the server stores a
 * client id once), then `messages:sync` fetches what was missed since the highest
 * seq on screen; the transcript dedupes by id, seq and client id.
 */
export class Widget {
  private settings: BootSettings = {};
  private inbox?: string;
  private stores: Stores = storesFor(null);
  private locale: Locale = "en";
  private view?: View;
  private booted = false;
  private generation = 0;
  private identity?: Identity;
  private ready = false;
  private readonly listeners = new Listeners();
  private readonly outbox = new Outbox(() => this.stores.outbox);

  private session?: SessionResponse;
  private sessionPromise?: Promise<boolean>;
  private sessionStale = false;
  private identityGraceUntil = 0;
  private sessionFailures = 0;
  private sessionTimer?: ReturnType<typeof setTimeout>;
  private fatal?: keyof Strings;
  private notice?: keyof Strings;
  private connectError = false;

  private socket?: Socket;
  private everConnected = false;
  private disconnectedAt?: number;
  private authFailures = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;

  private chat = new Chat();
  /** Messages up to this seq were there when the conversation was loaded: no events, no preview. */
  private historySeq = 0;
  private creatingConversation = false;

  private isOpen = false;
  private unread = 0;
  private preview: ViewState["preview"] = null;
  private handoffPending = false;
  /** The agent is typing (their console says when they stop; after 8 s of silence we assume it). */
  private readonly agentTyping = new ExpiringFlag(8000, () => this.render());
  /** The assistant is working on an answer: its dots, for at most 20 s. */
  private readonly botTyping = new ExpiringFlag(20_000, () => this.render());
  private typingSent = false;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private csatSending = false;
  private csatFailed = false;
  private csatThanksFor?: string;
  private npsSending = false;
  private npsFailed = false;
  private npsThanksFor?: string;
  /** 👍 / 👎 clicked on this page, by answer (message id). */
  private sentFeedback = new Map<string, SentFeedback>();

  /** Files picked but not uploaded yet (by the client id of their message), kept for a retry. */
  private files = new Map<string, { file: File; local: Attachment; createdAt: string }>();
  /** Attachment id (or local client id) → blob: URL to show it, fetched once with the session token. */
  private blobs = new Map<string, Promise<string | undefined>>();
  private preChatDone = false;
  private preChatSending = false;
  private preChatErrors: NonNullable<ViewState["preChat"]>["errors"] = {};
  private availability?: Availability;
  private awaySending = false;
  private awayError?: string;
  private transcriptState?: NonNullable<ViewState["transcript"]>;
  /** Step-up challenges as the server last described them, and the code box's state, by challenge id. */
  private stepUps = new Map<string, { server: ServerStepUp; busy: boolean; message?: string; tone?: "error" | "info" }>();
  private stepUpTimer?: ReturnType<typeof setTimeout>;

  private flushing = false;
  private flushAgain = false;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private flushDelay = 1000;
  private streamTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private renderQueued = false;

  constructor(private readonly scriptOrigin: string) {
    window.addEventListener("online", () => this.onOnline());
    window.addEventListener("offline", () => this.render());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.isOpen) {
        this.markRead();
        this.render();
      }
    });
  }

  // ---------------------------------------------------------------- public API

  command(name: unknown, args: unknown[]): unknown {
    const a = args[0] as never;
    if (name === "toggle") return this.isOpen ? this.close() : this.open();
    if (typeof name === "string" && COMMANDS.includes(name))
      return (this[name as "on"] as (x: never, y: never) => unknown)(a, args[1] as never);
    console.warn("BankDesk: unknown command", name);
  }

  boot(settings: BootSettings = {}): void {
    const inbox = String(settings.inbox || this.inbox || "website");
    if (this.booted && inbox !== this.inbox) this.teardown();
    if (this.booted) {
      this.settings = { ...this.settings, ...settings };
      if (settings.locale) this.locale = resolveLocale(settings.locale);
      if (settings.userId || settings.identityHash) this.identify(settings);
      this.render();
      return;
    }
    this.booted = true;
    this.settings = { ...settings };
    this.inbox = inbox;
    this.stores = storesFor(inbox);
    this.locale = resolveLocale(settings.locale);
    const id = cleanIdentity(settings);
    if (id) this.identity = { ...(this.identity ?? {}), ...id };
    const gen = this.generation;
    whenBody(() => {
      if (gen !== this.generation) return;
      this.view = new View(this.actions());
      this.view.mount();
      const saved = this.stores.session.get();
      this.chat = new Chat(saved?.conversationId);
      this.restoreOutbox(saved?.contactId);
      // Stays open across pages, except full screen on a phone.
      this.isOpen = !!(this.settings.open ?? (this.ui().open && window.innerWidth > 480));
      this.renderNow();
      this.ready = true;
      this.emit("ready");
      if (this.isOpen) this.emit("open");
      // Deferred a tick so that an `identify` right after `boot` makes one request, not two.
      setTimeout(() => {
        if (gen !== this.generation || this.session || this.sessionPromise) return;
        const s = this.stores.session.get();
        // A signed-in customer's session resumes only when the page identifies them again.
        if (s && s.verified) this.identityGraceUntil = Date.now() + 3000;
        const resumable = !!s?.token && !(s.verified && !this.identity?.userId);
        if (resumable || this.identity?.userId || this.isOpen || this.outbox.forContact(this.contactId()).length) void this.ensureSession();
      }, 0);
    });
  }

  shutdown(): void {
    const stores = this.stores;
    // The token is revoked on the server too, so a copy of it (shared computer) is worthless.
    const token = this.session?.token ?? stores.session.get()?.token;
    if (token) {
      fetch(`${this.origin()}/api/v1/widget/sessions/current`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
        credentials: "omit",
        keepalive: true,
      }).catch(() => undefined);
    }
    this.teardown();
    stores.session.set(undefined);
    stores.outbox.set(undefined);
    stores.ui.set(undefined);
  }

  open(): void {
    if (!this.booted) return;
    if (!this.view) {
      this.settings.open = true;
      return;
    }
    if (this.isOpen) return;
    this.isOpen = true;
    this.saveUi({ open: true });
    this.preview = null;
    this.markRead();
    this.renderNow();
    this.emit("open");
    void this.ensureSession();
    setTimeout(() => this.isOpen && this.view && this.view.focusInput(), 50);
  }

  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.view && this.view.hasFocus();
    this.isOpen = false;
    this.saveUi({ open: false });
    this.stopTyping();
    this.renderNow();
    this.emit("close");
    if (hadFocus && this.view) this.view.focusLauncher();
  }

  identify(raw: Identity): void {
    const id = cleanIdentity(raw);
    if (!id) return;
    this.identity = id;
    this.notice = this.fatal = undefined;
    if (!this.booted || !this.view) return; // applied when the session starts
    const saved = this.stores.session.get();
    if (this.session && this.session.verified && id.userId && saved?.userId === id.userId && !id.name && !id.email && !id.attributes)
      return;
    if (this.sessionPromise) {
      this.sessionStale = true;
      return;
    }
    this.session = undefined;
    this.disconnectSocket();
    void this.ensureSession();
  }

  setLocale(locale: string): void {
    this.locale = resolveLocale(locale);
    this.settings.locale = locale;
    this.renderNow();
  }

  on(event: string, fn: Listener): () => void {
    if (typeof fn !== "function") return () => undefined;
    this.listeners.add(event, fn);
    if (event === "ready" && this.ready) safeCall(fn);
    return () => this.off(event, fn);
  }

  off(event: string, fn: Listener): void {
    this.listeners.remove(event, fn);
  }

  private emit(event: WidgetEvent, payload?: unknown) {
    this.listeners.emit(event, payload);
  }

  private teardown() {
    const wasOpen = this.isOpen;
    this.generation++;
    this.disconnectSocket();
    for (const t of [this.sessionTimer, this.flushTimer, this.typingTimer, this.reconnectTimer]) clearTimeout(t);
    for (const t of this.streamTimers.values()) clearTimeout(t);
    this.streamTimers.clear();
    if (this.view) this.view.destroy();
    this.view = undefined;
    this.session = undefined;
    this.sessionPromise = undefined;
    this.sessionStale = false;
    this.identityGraceUntil = 0;
    this.chat = new Chat();
    this.booted = false;
    this.ready = false;
    this.isOpen = false;
    this.identity = undefined;
    this.settings = {};
    this.inbox = undefined;
    this.stores = storesFor(null);
    this.fatal = this.notice = undefined;
    this.preview = null;
    this.handoffPending = false;
    this.agentTyping.set(false);
    this.botTyping.set(false);
    for (const p of this.blobs.values()) void p.then((u) => u && URL.revokeObjectURL(u));
    this.blobs.clear();
    this.files.clear();
    this.preChatDone = this.preChatSending = this.awaySending = false;
    this.preChatErrors = {};
    this.availability = this.awayError = undefined;
    this.everConnected = false;
    this.csatThanksFor = this.npsThanksFor = undefined;
    if (this.unread) {
      this.unread = 0;
      this.emit("unread", 0);
    }
    if (wasOpen) this.emit("close");
  }

  private actions(): ViewActions {
    return {
      toggle: () => (this.isOpen ? this.close() : this.open()),
      open: () => this.open(),
      close: () => this.close(),
      send: (text) => this.send(text),
      retry: (clientId) => this.retry(clientId),
      quickReply: (text) => this.send(text),
      talkToPerson: () => this.send(strings(this.locale).talkToPerson),
      typing: () => this.onUserTyping(),
      rate: (rating, comment) => void this.rate(rating, comment),
      rateAnswer: (messageId, rating) => void this.rateAnswer(messageId, rating),
      skipRating: () => this.skipRating(),
      answerNps: (score, comment) => void this.answerNps(score, comment),
      skipNps: () => this.skipNps(),
      newConversation: () => this.newConversation(),
      attach: (file) => void this.attach(file),
      discard: (clientId) => {
        this.files.delete(clientId);
        this.outbox.remove(clientId);
        this.chat.removePending(clientId);
        this.render();
      },
      submitPreChat: (values) => void this.submitPreChat(values),
      leaveMessage: (email) => void this.leaveMessage(email),
      transcript: (email) => void this.sendTranscript(email),
      verifyCode: (id, code) => void this.verifyCode(id, code),
      resendCode: (id) => void this.resendCode(id),
      attachmentSrc: (a) => this.attachmentSrc(a),
      openAttachment: (a) => void this.openAttachment(a),
      dismissPreview: () => {
        this.preview = null;
        this.render();
      },
    };
  }

  // ---------------------------------------------------------------- session

  private origin(): string {
    const url = this.settings.serverUrl;
    if (url) {
      try {
        return new URL(url, location.href).origin;
      } catch {
        /* fall through */
      }
    }
    return this.scriptOrigin;
  }

  private ensureSession(): Promise<boolean> {
    if (this.session) return Promise.resolve(true);
    if (!this.booted || this.fatal) return Promise.resolve(false);
    if (!this.sessionPromise) {
      const gen = this.generation;
      clearTimeout(this.sessionTimer);
      // The last session here was a signed-in customer's: give the page a moment to
      // identify them again before starting a guest session instead.
      const wait = this.identityGraceUntil - Date.now();
      if (wait > 0 && !(this.identity && this.identity.userId)) {
        this.sessionTimer = setTimeout(() => void this.ensureSession(), wait);
        return Promise.resolve(false);
      }
      this.sessionPromise = this.startSession(gen).finally(() => {
        if (gen === this.generation) this.sessionPromise = undefined;
      });
    }
    return this.sessionPromise;
  }

  private async startSession(gen: number): Promise<boolean> {
    const stores = this.stores;
    const saved = stores.session.get();
    const id = this.identity;
    const body: Record<string, unknown> = { inbox: this.inbox };
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
      res = await postSession(this.origin(), body);
    } catch (err) {
      if (gen !== this.generation) return false;
      const e = err as SessionError;
      if (this.sessionStale) {
        this.sessionStale = false;
        return this.startSession(gen);
      }
      if (id && (e.status === 400 || (e.status === 401 && body.userId))) {
        // A refused identity (or invalid contact details): never silently someone
        // else; drop it, say so, continue as a guest.
        console.warn("BankDesk:", e.message);
        if (e.status === 401) this.notice = "identityError";
        this.identity = undefined;
        return this.startSession(gen);
      }
      if (e.status === 401 || e.status === 403 || e.status === 404) {
        console.error("BankDesk:", e.message);
        this.fatal = e.status === 401 ? "notAllowed" : "connectError";
        this.render();
        return false;
      }
      this.connectError = true;
      this.sessionFailures++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.sessionFailures, 5));
      this.sessionTimer = setTimeout(() => void this.ensureSession(), delay * (0.8 + Math.random() * 0.4));
      this.render();
      return false;
    }
    if (gen !== this.generation) return false;
    if (this.sessionStale) {
      this.sessionStale = false;
      stores.session.set({
        ...(saved ?? { contactId: res.contact.id, verified: res.verified }),
        token: res.token,
        contactId: res.contact.id,
        verified: res.verified,
      });
      return this.startSession(gen);
    }
    this.sessionFailures = 0;
    this.connectError = false;
    this.availability = res.availability;
    this.applySession(res);
    return true;
  }

  private applySession(res: SessionResponse) {
    const stores = this.stores;
    const saved = stores.session.get();
    const sameContact = saved?.contactId === res.contact.id;
    this.session = res;
    const conversations = [...(res.conversations ?? [])].sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt));
    let conversationId = sameContact ? (this.chat.conversationId ?? saved?.conversationId) : undefined;
    // Signing in resumes the customer's latest conversation, unless the page asks for a new one.
    const startFresh = !sameContact && !!this.identity?.newConversation && !!res.verified;
    if (!conversationId && !(sameContact && saved?.fresh) && !startFresh) conversationId = conversations[0]?.id;
    const summary = conversations.find((c) => c.id === conversationId);

    // Messages typed before there was a session belong to this contact; others' are dropped.
    const outbox = this.outbox
      .all()
      .filter((e) => !e.contactId || e.contactId === res.contact.id)
      .map((e) => (e.contactId ? e : { ...e, contactId: res.contact.id, conversationId: sameContact ? e.conversationId : undefined }));
    stores.outbox.set(outbox);

    if (!sameContact || this.chat.conversationId !== conversationId) {
      // Lines on their way are in the outbox: the new transcript gets them back from there.
      this.chat = new Chat(conversationId, summary?.status);
      this.restoreOutbox(res.contact.id);
      this.resetConversationUi();
    } else if (summary) this.chat.status = summary.status;
    this.historySeq = Math.max(this.chat.maxSeq, summary?.lastSeq ?? 0);

    const next: SavedSession = {
      token: res.token,
      contactId: res.contact.id,
      verified: !!res.verified,
      userId: res.verified ? this.identity?.userId : undefined,
      conversationId,
      fresh: startFresh ? true : sameContact && !conversationId ? saved?.fresh : undefined,
    };
    stores.session.set(next);
    if (conversationId) this.initRead(conversationId, summary?.lastSeq ?? 0);
    this.updateUnread();
    this.connect();
    this.render();
  }

  private resetConversationUi() {
    this.handoffPending = false;
    this.agentTyping.set(false);
    this.botTyping.set(false);
    this.csatFailed = false;
    this.csatSending = false;
    this.npsFailed = false;
    this.npsSending = false;
    this.transcriptState = undefined;
    this.sentFeedback.clear();
  }

  // ---------------------------------------------------------------- socket

  private connect() {
    this.disconnectSocket();
    const socket = io(`${this.origin()}${WIDGET_NAMESPACE}`, {
      auth: (cb) => cb({ token: this.session?.token ?? "" }),
      forceNew: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 8000,
      timeout: 15_000,
    });
    this.socket = socket;
    socket.on("connect", () => void this.onConnect(socket));
    socket.on("disconnect", (reason) => {
      if (socket !== this.socket) return;
      this.disconnectedAt = Date.now();
      this.stopTyping(false);
      if (reason === "io server disconnect") this.reconnectTimer = setTimeout(() => socket.connect(), 1000);
      setTimeout(() => this.render(), 1600);
      this.render();
    });
    socket.on("connect_error", (err) => {
      if (socket !== this.socket) return;
      this.disconnectedAt ??= Date.now();
      if (err?.message === "session_revoked") {
        this.startFresh();
      } else if (err?.message === "unauthenticated") {
        // The token was revoked or expired: start a new session (it keeps the contact when it can).
        this.authFailures++;
        this.session = undefined;
        this.disconnectSocket();
        const delay = this.authFailures > 2 ? Math.min(30_000, 2000 * this.authFailures) : 0;
        this.reconnectTimer = setTimeout(() => void this.ensureSession(), delay);
      } else if (!socket.active) {
        this.reconnectTimer = setTimeout(() => socket.connect(), 3000 + Math.random() * 2000);
      }
      this.render();
    });
    socket.on(WIDGET_EVENTS.message, (m: ServerMessage) => this.onMessage(m));
    socket.on(WIDGET_EVENTS.stream, (e: StreamEvent) => this.onStream(e));
    socket.on(WIDGET_EVENTS.conversation, (c: ConversationSummary) => this.onConversation(c));
    socket.on(WIDGET_EVENTS.handoff, (e: WidgetEvents["handoff"]) => this.onHandoff(e));
    socket.on(WIDGET_EVENTS.typing, (e: TypingEvent) => this.onTyping(e));
    socket.on(WIDGET_EVENTS.sessionRevoked, () => this.startFresh());
  }

  private disconnectSocket() {
    clearTimeout(this.reconnectTimer);
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  private async onConnect(socket: Socket) {
    if (socket !== this.socket) return;
    this.everConnected = true;
    this.disconnectedAt = undefined;
    this.authFailures = 0;
    this.flushDelay = 1000;
    this.render();
    await this.flush();
    await this.sync();
  }

  private onOnline() {
    this.render();
    if (!this.booted) return;
    if (!this.session) {
      if (this.connectError) void this.ensureSession();
      return;
    }
    // Reconnect now instead of waiting for the back-off timer.
    const s = this.socket;
    if (s && !s.connected) {
      s.disconnect();
      s.connect();
    }
  }

  /** A request of the wire contract (shared/wire: WIDGET_REQUESTS), its reply typed as the server is checked to send it. */
  private emitAck<E extends keyof WidgetRequests>(
    event: E,
    payload: WidgetRequests[E]["payload"],
    timeout = ACK_TIMEOUT_MS,
  ): Promise<Ack<WidgetRequests[E]["reply"]>> {
    const socket = this.socket;
    if (!socket || !socket.connected) return Promise.resolve({ ok: false, error: { code: "offline", message: "", retryable: true } });
    return new Promise((resolve) => {
      socket.timeout(timeout).emit(event, payload, (err: Error | null, res: Ack<WidgetRequests[E]["reply"]>) => {
        if (err) resolve({ ok: false, error: { code: "timeout", message: "", retryable: true } });
        else if (!res || typeof res !== "object") resolve({ ok: false, error: { code: "bad_response", message: "", retryable: true } });
        else resolve(res);
      });
    });
  }

  // ---------------------------------------------------------------- sending

  private restoreOutbox(contactId: string | undefined) {
    for (const e of this.outbox.all()) {
      if (e.contactId && contactId && e.contactId !== contactId) continue;
      if (e.conversationId && e.conversationId !== this.chat.conversationId) continue;
      this.chat.addPending(e.clientId, e.content, e.createdAt, e.failed ? "failed" : "sending", e.failed?.message, e.attachments);
    }
  }

  private send(text: string) {
    const content = text.trim();
    if (!content || content.length > MAX_LENGTH || !this.booted) return;
    const entry: OutboxEntry = {
      clientId: uuid(),
      contactId: this.contactId(),
      conversationId: this.chat.conversationId,
      content,
      createdAt: new Date().toISOString(),
    };
    this.outbox.update((all) => [...all, entry]);
    this.chat.addPending(entry.clientId, content, entry.createdAt, "sending");
    this.stopTyping();
    this.preview = null;
    this.render();
    if (!this.session) void this.ensureSession();
    else void this.flush();
  }

  private retry(clientId: string) {
    if (this.files.has(clientId)) {
      this.chat.setState(clientId, "sending");
      this.render();
      void this.upload(clientId);
      return;
    }
    this.outbox.update((all) =>
      all.map((e) => (e.clientId === clientId ? { ...e, failed: undefined, conversationId: this.chat.conversationId } : e)),
    );
    this.chat.setState(clientId, "sending");
    this.render();
    if (!this.session) void this.ensureSession();
    else void this.flush();
  }

  /** Sends the outbox in order, one message at a time, until it is empty or the connection fails. */
  private async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    clearTimeout(this.flushTimer);
    try {
      do {
        this.flushAgain = false;
        await this.flushOnce();
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  private async flushOnce(): Promise<void> {
    const gen = this.generation;
    for (;;) {
      if (gen !== this.generation || !this.session || !this.connected()) return;
      const entry = this.outbox.forContact(this.contactId()).find((e) => !e.failed);
      if (!entry) return;

      // A new conversation is created on its own first, so that the message is then
      // sent (and, after a lost acknowledgement, re-sent) to one known conversation.
      let conversationId = entry.conversationId ?? this.chat.conversationId;
      if (!conversationId) {
        this.creatingConversation = true;
        const r = await this.emitAck(WIDGET_REQUESTS.createConversation, {});
        this.creatingConversation = false;
        if (gen !== this.generation) return;
        if (!r.ok) {
          this.sendFailed(entry, r.error);
          return;
        }
        if (!this.chat.conversationId) this.adoptConversation(r.conversation);
        conversationId = this.chat.conversationId!;
      }
      if (entry.conversationId !== conversationId) {
        this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, conversationId } : e)));
      }
      const r = await this.emitAck(WIDGET_REQUESTS.sendMessage, {
        conversationId,
        clientId: entry.clientId,
        content: entry.content,
        // An outbox entry holds uploaded files only: each has the id the upload returned.
        ...(entry.attachments?.length ? { attachmentIds: entry.attachments.map((a) => a.id!) } : {}),
      });
      if (gen !== this.generation) return;
      if (!r.ok) {
        if (this.sendFailed(entry, r.error) === "stop") return;
        continue;
      }
      this.flushDelay = 1000;
      this.outbox.remove(entry.clientId);
      if (r.message.conversationId === this.chat.conversationId) {
        this.acceptMessages([r.message]);
        // The assistant answers words; a file alone waits for the team.
        if (entry.content && (this.chat.status === "pending" || this.chat.status === undefined)) this.botTyping.set(true);
      }
    }
  }

  /** Decides what a refused or unanswered send means. */
  private sendFailed(entry: OutboxEntry, error: AckError): "stop" | "next" {
    const transient =
      error.retryable ||
      error.code === "timeout" ||
      error.code === "offline" ||
      error.code === "internal_error" ||
      error.code === "bad_response";
    if (transient) {
      if (error.code === "timeout" && this.socket && this.socket.connected) {
        // No answer on a connection that looks alive: it is probably dead; reconnect (which re-sends).
        (this.socket.io as unknown as { engine: { close(): void } }).engine.close();
      } else {
        this.flushTimer = setTimeout(() => void this.flush(), this.flushDelay);
        this.flushDelay = Math.min(this.flushDelay * 2, 15_000);
      }
      this.render();
      return "stop";
    }
    if (error.code === "not_found" && entry.conversationId) {
      // That conversation is not (or no longer) this customer's: start a new one.
      this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, conversationId: undefined } : e)));
      if (this.chat.conversationId === entry.conversationId) this.forgetConversation();
      return "next";
    }
    const failed = { code: error.code, message: error.message };
    this.outbox.update((all) => all.map((e) => (e.clientId === entry.clientId ? { ...e, failed } : e)));
    this.chat.setState(entry.clientId, "failed", error.message);
    this.render();
    return "next";
  }

  // ---------------------------------------------------------------- REST, attachments, forms

  /** A request to the widget API with the session token; a revoked session starts afresh. */
  private async http(method: string, path: string, body?: BodyInit, type?: string): Promise<{ status: number; json: ApiJson | null }> {
    let status = 0;
    let json: ApiJson | null = null;
    try {
      const res = await fetch(`${this.origin()}/api/v1${path}`, {
        method,
        body,
        credentials: "omit",
        headers: { authorization: `Bearer ${this.session ? this.session.token : ""}`, ...(type ? { "content-type": type } : {}) },
      });
      status = res.status;
      json = await res.json().catch(() => null);
    } catch {
      /* network: status 0 */
    }
    const details = json && json.error && (json.error.details as { reason?: string } | undefined);
    if (status === 401 && details && details.reason === "session_revoked") this.startFresh();
    return { status, json };
  }

  /** The token was revoked (shutdown elsewhere, or staff ended it): forget everything and start a new session. */
  private startFresh() {
    if (!this.booted) return;
    this.disconnectSocket();
    this.session = undefined;
    this.stores.session.set(undefined);
    this.stores.outbox.set(undefined);
    this.chat = new Chat();
    this.resetConversationUi();
    this.historySeq = 0;
    this.identityGraceUntil = 0;
    this.notice = "sessionEnded";
    this.renderNow();
    void this.ensureSession();
  }

  private async attach(file: File) {
    if (!this.booted) return;
    const clientId = uuid();
    const local: Attachment = { name: file.name, contentType: file.type, size: file.size };
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
      local.preview = URL.createObjectURL(file);
      this.blobs.set(clientId, Promise.resolve(local.preview));
    }
    const createdAt = new Date().toISOString();
    this.files.set(clientId, { file, local, createdAt });
    this.chat.addPending(clientId, "", createdAt, "sending", undefined, [local]);
    this.preview = null;
    this.render();
    await this.upload(clientId);
  }

  /** Uploads a picked file, then queues its message like any other (outbox, exactly once). */
  private async upload(clientId: string) {
    const pending = this.files.get(clientId);
    if (!pending) return;
    const { file, local, createdAt } = pending;
    const s = strings(this.locale);
    const fail = (error?: string) => {
      this.chat.setState(clientId, "failed", error);
      this.render();
    };
    const max = (this.session && this.session.inbox.maxAttachmentBytes) || 10 * 1048576;
    if (file.size > max) return fail(format(s.fileTooLarge, { max: `${Math.round(max / 1048576)} MB` }));
    if (!(await this.ensureSession()) || !this.session) return fail();
    const name = encodeURIComponent(file.name.slice(0, 200));
    const res = await this.http("POST", `/widget/attachments?name=${name}&clientId=${clientId}`, file, "application/octet-stream");
    if (!this.files.has(clientId)) return; // discarded meanwhile
    const a = res.json ? res.json.attachment : undefined;
    if (res.status === 201 && a && a.id) {
      this.files.delete(clientId);
      if (local.preview) this.blobs.set(a.id, Promise.resolve(local.preview));
      const entry: OutboxEntry = {
        clientId,
        contactId: this.contactId(),
        conversationId: this.chat.conversationId,
        content: "",
        createdAt,
        attachments: [a],
      };
      this.outbox.update((all) => [...all, entry]);
      this.chat.addPending(clientId, "", createdAt, "sending", undefined, [{ ...a, preview: local.preview }]);
      this.render();
      void this.flush();
    } else if (res.status === 415) {
      // Not what it claimed to be: show it as a plain file, not as a broken picture.
      this.chat.addPending(clientId, "", createdAt, "failed", s.fileType, [{ name: local.name, size: local.size }]);
      this.render();
    } else if (res.status === 413) fail(format(s.fileTooLarge, { max: `${Math.round(max / 1048576)} MB` }));
    else if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429)
      fail((res.json && res.json.error && res.json.error.message) || s.errGeneric);
    else fail(); // network, rate limit, server: can be retried
  }

  private attachmentSrc(a: Attachment): Promise<string | undefined> {
    if (a.preview) return Promise.resolve(a.preview);
    if (!a.id || !a.url) return Promise.resolve(undefined);
    const id = a.id;
    let p = this.blobs.get(id);
    if (!p) {
      // Only ever send the session token to our own server.
      let url: string | undefined;
      try {
        const u = new URL(a.url, this.origin());
        if (u.origin === this.origin()) url = u.href;
      } catch {
        /* not a URL */
      }
      const token = this.session && this.session.token;
      p =
        url && token
          ? fetch(url, { headers: { authorization: `Bearer ${token}` }, credentials: "omit" })
              .then((r) => (r.ok ? r.blob() : undefined))
              .then((b) => b && URL.createObjectURL(b))
              .catch(() => undefined)
          : Promise.resolve(undefined);
      this.blobs.set(id, p);
      void p.then((u) => u || this.blobs.delete(id));
    }
    return p;
  }

  /** Images open in a new tab; documents are downloaded (never rendered on the bank's page). */
  private async openAttachment(a: Attachment) {
    const url = await this.attachmentSrc(a);
    if (!url) return;
    const link = document.createElement("a");
    link.href = url;
    if (/^image\//.test(a.contentType || "")) {
      link.target = "_blank";
      link.rel = "noopener";
    } else link.download = a.name || "document.pdf";
    link.click();
  }

  private async submitPreChat(values: Record<string, string>) {
    const form = this.session && this.session.preChat;
    if (!form || this.preChatSending) return;
    const s = strings(this.locale);
    const messages = { name: s.errName, email: s.errEmail, phone: s.errPhone };
    const errors: typeof this.preChatErrors = {};
    for (const f of form.fields) {
      const v = values[f.name];
      if ((!v && f.required) || (v && f.name === "email" && !EMAIL.test(v))) errors[f.name] = messages[f.name];
    }
    this.preChatErrors = errors;
    if (!Object.keys(errors).length) {
      this.preChatSending = true;
      this.render();
      const res = await this.http("POST", "/widget/prechat", JSON.stringify(values), "application/json");
      this.preChatSending = false;
      if (res.status === 200 && res.json && res.json.contact) {
        this.preChatDone = true;
        if (this.session) this.session.contact = res.json.contact;
        setTimeout(() => this.view && this.view.focusInput(), 0);
      } else if (res.status === 400 && res.json && res.json.error && Array.isArray(res.json.error.details)) {
        for (const d of res.json.error.details as Array<{ path: string }>) {
          const key = d.path as keyof typeof messages;
          errors[messages[key] ? key : "form"] = messages[key] || s.errGeneric;
        }
      } else errors.form = s.errGeneric;
    }
    this.render();
  }

  private async leaveMessage(email: string) {
    const conversationId = this.chat.conversationId;
    if (!conversationId || this.awaySending) return;
    const s = strings(this.locale);
    if (!EMAIL.test(email)) {
      this.awayError = s.errEmail;
      return this.render();
    }
    this.awaySending = true;
    this.awayError = undefined;
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.followUp, { conversationId, clientId: uuid(), email });
    this.awaySending = false;
    if (r.ok) {
      if (this.session) this.session.contact.email = email;
      this.acceptMessages([r.message]);
    } else this.awayError = r.error.code === "validation_error" ? s.errEmail : s.errGeneric;
    this.render();
  }

  /** First call opens the form; with an address, asks the server to mail the transcript. */
  private async sendTranscript(email?: string) {
    const conversationId = this.chat.conversationId;
    const t = this.transcriptState || { mode: "offer", email: (this.session && this.session.contact.email) || "" };
    if (!conversationId || t.mode === "sending") return;
    const s = strings(this.locale);
    if (email === undefined) this.transcriptState = { ...t, mode: "form" };
    else if (!EMAIL.test(email)) this.transcriptState = { mode: "form", email, error: s.errEmail };
    else {
      this.transcriptState = { mode: "sending", email };
      this.render();
      const r = await this.emitAck(WIDGET_REQUESTS.transcript, { conversationId, email });
      this.transcriptState = r.ok
        ? { mode: r.sent ? "sent" : "unavailable", email }
        : { mode: "form", email, error: r.error.code === "validation_error" ? s.errEmail : r.error.message || s.errGeneric };
    }
    this.render();
  }

  /** The code typed in the code box, checked by the server (stepup:verify); the assistant carries on by itself when it is right. */
  private async verifyCode(challengeId: string, code: string) {
    const conversationId = this.chat.conversationId;
    const u = this.stepUps.get(challengeId);
    if (!conversationId || !u || u.busy) return;
    const s = strings(this.locale);
    if (!/^\d{6}$/.test(code)) {
      this.stepUps.set(challengeId, { ...u, message: s.stepUpInvalid, tone: "error" });
      return this.render();
    }
    this.stepUps.set(challengeId, { ...u, busy: true, message: undefined });
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.verifyStepUp, { conversationId, challengeId, code });
    if (r.ok) {
      const wrong = r.outcome === "wrong";
      this.stepUps.set(challengeId, {
        server: r.stepUp,
        busy: false,
        message: wrong ? format(s.stepUpWrong, { n: r.stepUp.attemptsLeft }) : undefined,
        tone: wrong ? "error" : undefined,
      });
    } else this.stepUps.set(challengeId, { ...u, busy: false, message: r.error.message || s.errGeneric, tone: "error" });
    this.render();
  }

  /** "Send a new code" (stepup:resend): a new code replaces the old, to the same phone or address. */
  private async resendCode(challengeId: string) {
    const conversationId = this.chat.conversationId;
    const u = this.stepUps.get(challengeId);
    if (!conversationId || !u || u.busy) return;
    const s = strings(this.locale);
    this.stepUps.set(challengeId, { ...u, busy: true, message: undefined });
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.resendStepUp, { conversationId, challengeId });
    if (r.ok)
      this.stepUps.set(challengeId, {
        server: r.stepUp,
        busy: false,
        message: format(s.stepUpResent, { destination: r.stepUp.destination }),
        tone: "info",
      });
    else
      this.stepUps.set(challengeId, {
        ...u,
        busy: false,
        message: r.error.code === "conflict" ? s.stepUpNoMore : r.error.message || s.errGeneric,
        tone: "error",
      });
    this.render();
  }

  /**
   * The code box while the assistant's latest message asks for a code: what the server
   * said of the challenge, with the time applied (a code expires, a resend becomes
   * possible), and a re-render scheduled for the next of those moments.
   */
  private stepUpView(items: ChatItem[], phase: string): ViewState["stepUp"] {
    clearTimeout(this.stepUpTimer);
    if (phase !== "assistant") return null;
    let last: ChatItem | undefined;
    for (let i = items.length - 1; i >= 0 && !last; i--) if (items[i]!.sender === "bot" && items[i]!.type !== "activity") last = items[i];
    const given = last && last.attributes.kind === "step_up" ? (last.attributes.stepUp as ServerStepUp | undefined) : undefined;
    if (!given || typeof given.id !== "string") return null;
    let u = this.stepUps.get(given.id);
    if (!u) this.stepUps.set(given.id, (u = { server: given, busy: false }));
    const now = Date.now();
    const expiresAt = Date.parse(u.server.expiresAt);
    const resendAt = Date.parse(u.server.resendAt);
    const status: NonNullable<ViewState["stepUp"]>["status"] =
      u.server.status === "pending" && now >= expiresAt
        ? "expired"
        : u.server.status === "superseded" || u.server.status === "undelivered"
          ? "closed"
          : u.server.status;
    const next = [expiresAt, resendAt].filter((t) => t > now).sort((a, b) => a - b)[0];
    if (next !== undefined) this.stepUpTimer = setTimeout(() => this.render(), Math.min(next - now + 50, 2 ** 31 - 1));
    return {
      id: given.id,
      destination: u.server.destination,
      status,
      attemptsLeft: u.server.attemptsLeft,
      canResend: (status === "pending" || status === "expired") && u.server.sendsLeft > 0 && now >= resendAt,
      busy: u.busy,
      message: status === "pending" ? u.message : undefined,
      tone: u.tone,
    };
  }

  private async refreshAvailability() {
    if (!this.session) return;
    const res = await this.http("GET", "/widget/availability");
    if (res.status === 200 && res.json && typeof res.json.online === "boolean") {
      this.availability = { online: res.json.online, hours: res.json.hours };
      this.render();
    }
  }

  // ---------------------------------------------------------------- receiving

  private async sync(): Promise<void> {
    const gen = this.generation;
    for (let page = 0; page < 50; page++) {
      const conversationId = this.chat.conversationId;
      if (!conversationId || gen !== this.generation) return;
      const r = await this.emitAck(WIDGET_REQUESTS.syncMessages, { conversationId, afterSeq: this.chat.maxSeq }, 20_000);
      if (gen !== this.generation || conversationId !== this.chat.conversationId) return;
      if (!r.ok) {
        if (r.error.code === "not_found" || r.error.code === "forbidden") this.forgetConversation();
        return;
      }
      if (r.conversation) this.applyConversation(r.conversation);
      const messages = Array.isArray(r.messages) ? r.messages : [];
      this.acceptMessages(messages);
      if (messages.length < SYNC_PAGE) break;
    }
    // A streamed answer whose final message never came is dropped.
    this.render();
  }

  private forgetConversation() {
    this.chat = new Chat();
    this.resetConversationUi();
    const saved = this.stores.session.get();
    if (saved) this.stores.session.set({ ...saved, conversationId: undefined });
    this.restoreOutbox(this.contactId());
    this.render();
  }

  private adoptConversation(c: Pick<ConversationSummary, "id"> & Partial<ConversationSummary>) {
    this.chat.conversationId = c.id;
    if (c.status) this.chat.status = c.status;
    const saved = this.stores.session.get();
    if (saved) this.stores.session.set({ ...saved, conversationId: c.id, fresh: undefined });
    this.initRead(c.id, 0);
    this.historySeq = 0;
  }

  private applyConversation(c: ConversationSummary) {
    if (c.id !== this.chat.conversationId) return;
    const before = this.chat.status;
    this.chat.status = c.status;
    if (c.status !== "pending") this.botTyping.set(false);
    if (c.status === "resolved" || c.status === "pending") {
      this.agentTyping.set(false);
      this.handoffPending = false;
    }
    if (before === "resolved" && c.status !== "resolved") this.csatThanksFor = this.npsThanksFor = undefined;
  }

  private onMessage(m: ServerMessage) {
    if (!m || typeof m !== "object" || m.private || !m.conversationId) return;
    if (m.conversationId !== this.chat.conversationId) {
      if (this.chat.conversationId) return; // another of this customer's conversations
      this.adoptConversation({ id: m.conversationId });
      this.acceptMessages([m]);
      void this.sync(); // its status, and anything before this message
      return;
    }
    this.acceptMessages([m]);
  }

  private acceptMessages(list: ServerMessage[]) {
    for (const m of list) {
      if (!m || m.private) continue;
      const isNew = this.chat.upsert(m);
      if (m.clientId) this.outbox.remove(m.clientId);
      if (!isNew) continue;
      const from = m.sender?.type;
      if (m.type !== "activity" && (from === "bot" || from === "agent")) {
        this.botTyping.set(false);
        if (from === "agent") this.agentTyping.set(false);
      }
      if (m.type === "activity" && m.attributes?.kind === "assigned") this.handoffPending = false;
      if (m.seq > this.historySeq) {
        this.emit("message", m);
        if (!this.isOpen && m.type === "outgoing" && (from === "agent" || from === "bot")) {
          const s = strings(this.locale);
          this.preview = { title: from === "bot" ? s.botLabel : (this.agentName() ?? s.agentLabel), text: plain(m.content).slice(0, 160) };
        }
      }
    }
    this.updateUnread();
    this.render();
  }

  private onStream(e: StreamEvent) {
    if (!e || e.conversationId !== this.chat.conversationId || typeof e.streamId !== "string") return;
    if (e.reset) {
      clearTimeout(this.streamTimers.get(e.streamId));
      this.streamTimers.delete(e.streamId);
      this.chat.dropStream(e.streamId);
      this.render();
      return;
    }
    if (!this.chat.stream(e.streamId, typeof e.delta === "string" ? e.delta : "", !!e.done)) return;
    this.botTyping.set(false);
    if (e.done) {
      clearTimeout(this.streamTimers.get(e.streamId));
      // The final message normally follows at once; if it does not, ask for it, then let the draft go.
      this.streamTimers.set(
        e.streamId,
        setTimeout(async () => {
          this.streamTimers.delete(e.streamId);
          if (!this.chat.hasStream(e.streamId)) return;
          await this.sync();
          this.chat.dropStream(e.streamId);
          this.render();
        }, 8000),
      );
    }
    this.render();
  }

  private onConversation(c: ConversationSummary) {
    if (!c || typeof c.id !== "string") return;
    if (c.id !== this.chat.conversationId) {
      if (this.chat.conversationId || !this.creatingConversation) return;
      this.adoptConversation(c);
    }
    this.applyConversation(c);
    this.render();
  }

  private onHandoff(e: { conversationId: string }) {
    void this.refreshAvailability();
    if (!e || e.conversationId !== this.chat.conversationId) return;
    this.handoffPending = true;
    this.botTyping.set(false);
    this.chat.addNotice(`h:${Date.now()}`, this.availability && !this.availability.online ? "activityHandoffAway" : "activityHandoff");
    this.emit("handoff", { conversationId: e.conversationId });
    this.render();
  }

  private onTyping(e: TypingEvent) {
    if (!e || e.conversationId !== this.chat.conversationId || e.from !== "agent") return;
    this.agentTyping.set(!!e.typing);
    this.render();
  }

  private onUserTyping() {
    const conversationId = this.chat.conversationId;
    const socket = this.socket;
    if (!conversationId || !socket || !socket.connected || this.chat.status === "resolved") return;
    if (!this.typingSent) {
      this.typingSent = true;
      socket.emit(WIDGET_REQUESTS.typing, { conversationId, typing: true } satisfies WidgetRequests["typing"]["payload"]);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 4000);
  }

  private stopTyping(tell = true) {
    clearTimeout(this.typingTimer);
    if (this.typingSent && tell && this.chat.conversationId && this.socket && this.socket.connected) {
      this.socket.emit(WIDGET_REQUESTS.typing, {
        conversationId: this.chat.conversationId,
        typing: false,
      } satisfies WidgetRequests["typing"]["payload"]);
    }
    this.typingSent = false;
  }

  // ---------------------------------------------------------------- read state, CSAT

  private ui(): SavedUi {
    return this.stores.ui.get() || {};
  }

  private connected(): boolean {
    return !!this.socket && this.socket.connected;
  }

  private contactId(): string | undefined {
    return this.session && this.session.contact.id;
  }

  private saveUi(patch: {
    open?: boolean;
    read?: Record<string, number>;
    rated?: Record<string, number>;
    npsAnswered?: Record<string, number>;
  }) {
    this.stores.ui.set({ ...this.ui(), ...patch });
  }

  private initRead(conversationId: string, seq: number) {
    const read = this.ui().read ?? {};
    if (read[conversationId] === undefined) this.saveUi({ read: { ...read, [conversationId]: seq } });
  }

  private markRead() {
    const id = this.chat.conversationId;
    if (!id) return;
    const read = this.ui().read ?? {};
    if ((read[id] ?? -1) < this.chat.maxSeq) {
      // Keep the map small: the 20 most recent conversations.
      const entries = Object.entries({ ...read, [id]: this.chat.maxSeq }).slice(-20);
      this.saveUi({ read: Object.fromEntries(entries) });
    }
    this.updateUnread(false);
  }

  private updateUnread(autoRead = true) {
    if (autoRead && this.isOpen && document.visibilityState === "visible") return this.markRead();
    const id = this.chat.conversationId;
    const read = id ? (this.ui().read?.[id] ?? 0) : 0;
    const n = this.chat
      .list()
      .filter(
        (i) => typeof i.seq === "number" && i.seq > read && i.type === "outgoing" && (i.sender === "agent" || i.sender === "bot"),
      ).length;
    if (n !== this.unread) {
      this.unread = n;
      this.emit("unread", n);
    }
  }

  private async rate(rating: number, comment: string) {
    const conversationId = this.chat.conversationId;
    if (!conversationId || this.csatSending) return;
    this.csatSending = true;
    this.csatFailed = false;
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.csat, { conversationId, rating, ...(comment ? { comment: comment.slice(0, 1000) } : {}) });
    this.csatSending = false;
    if (r.ok) {
      this.saveUi({ rated: { ...(this.ui().rated ?? {}), [conversationId]: this.chat.maxSeq } });
      this.csatThanksFor = conversationId;
    } else this.csatFailed = true;
    this.render();
  }

  /**
   * 👍 / 👎 under an answer: one click records it (message:feedback), the other button
   * changes it; the server keeps one verdict per answer, so a click sent twice is harmless.
   */
  private async rateAnswer(messageId: string, rating: AnswerRating) {
    const conversationId = this.chat.conversationId;
    const item = this.chat.list().find((i) => i.id === messageId);
    if (!conversationId || !item || !canRate(item)) return;
    const shown = feedbackState(item, this.sentFeedback.get(messageId));
    if (shown.sending || (shown.rating === rating && !shown.failed)) return;
    this.sentFeedback.set(messageId, { rating, status: "sending" });
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.feedback, { conversationId, messageId, rating });
    if (conversationId !== this.chat.conversationId) return;
    this.sentFeedback.set(messageId, { rating, status: r.ok ? "saved" : "failed" });
    // The answer as stored, with its verdict: painted into its line (the row is not redrawn).
    if (r.ok && r.message) this.acceptMessages([r.message]);
    this.render();
  }

  /** The recommendation answer (WIDGET_REQUESTS.nps); once sent or skipped it is not asked again for this resolution. */
  private async answerNps(score: number, comment: string) {
    const conversationId = this.chat.conversationId;
    if (!conversationId || this.npsSending) return;
    this.npsSending = true;
    this.npsFailed = false;
    this.render();
    const r = await this.emitAck(WIDGET_REQUESTS.nps, { conversationId, score, ...(comment ? { comment: comment.slice(0, 1000) } : {}) });
    this.npsSending = false;
    if (r.ok) {
      this.saveUi({ npsAnswered: { ...(this.ui().npsAnswered ?? {}), [conversationId]: this.chat.maxSeq } });
      this.npsThanksFor = conversationId;
    } else this.npsFailed = true;
    this.render();
  }

  private skipNps() {
    const id = this.chat.conversationId;
    if (!id) return;
    this.saveUi({ npsAnswered: { ...(this.ui().npsAnswered ?? {}), [id]: this.chat.maxSeq } });
    this.render();
  }

  private skipRating() {
    const id = this.chat.conversationId;
    if (!id) return;
    this.saveUi({ rated: { ...(this.ui().rated ?? {}), [id]: this.chat.maxSeq } });
    this.render();
  }

  private newConversation() {
    this.chat = new Chat();
    this.resetConversationUi();
    this.csatThanksFor = this.npsThanksFor = undefined;
    const saved = this.stores.session.get();
    if (saved) this.stores.session.set({ ...saved, conversationId: undefined, fresh: true });
    this.updateUnread();
    this.renderNow();
    if (this.view) this.view.focusInput();
  }

  /** Asked after the rating is given, skipped or not asked, when the inbox asks it (session.inbox.npsEnabled). */
  private npsMode(items: ChatItem[], csat: CsatMode): CsatMode {
    const id = this.chat.conversationId;
    if (!id || this.chat.status !== "resolved" || !this.session?.inbox.npsEnabled) return "none";
    if (csat === "ask" || csat === "sending" || csat === "error") return "none";
    if (this.npsThanksFor === id) return "thanks";
    const answered = this.ui().npsAnswered?.[id];
    if (answered !== undefined && answered >= (resolvedSeqOf(items) || this.chat.maxSeq)) return "none";
    return this.npsSending ? "sending" : this.npsFailed ? "error" : "ask";
  }

  private csatMode(items: ChatItem[]): CsatMode {
    const id = this.chat.conversationId;
    if (!id || this.chat.status !== "resolved" || !this.session?.inbox.csatEnabled) return "none";
    if (this.csatThanksFor === id) return "thanks";
    const resolvedSeq = resolvedSeqOf(items);
    const rated = this.ui().rated?.[id];
    if (rated !== undefined && rated >= (resolvedSeq || this.chat.maxSeq)) return "none";
    return this.csatSending ? "sending" : this.csatFailed ? "error" : "ask";
  }

  /** The name of the agent currently with the customer: the latest "joined" line or agent's reply that names one. */
  private agentName(items = this.chat.list()): string | undefined {
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      if (it.type === "activity" && it.attributes.kind === "assigned") return it.attributes.agentName ?? undefined;
      if (it.type === "outgoing" && it.sender === "agent" && it.senderName) return it.senderName;
    }
    return undefined;
  }

  private phase(items: ChatItem[]): { phase: ViewState["phase"]; agentName?: string } {
    const status = this.chat.status;
    if (status === "resolved") return { phase: "resolved" };
    if (status !== "open" && status !== "snoozed" && !this.handoffPending) return { phase: "assistant" };
    // Has a person joined since the conversation last went to the assistant?
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      if (
        it.type === "activity" &&
        it.attributes.kind === "status" &&
        (it.attributes.status === "pending" || it.attributes.status === "resolved")
      )
        break;
      if ((it.type === "activity" && it.attributes.kind === "assigned") || (it.type === "outgoing" && it.sender === "agent")) {
        return { phase: "agent", agentName: this.agentName(items.slice(0, i + 1)) };
      }
    }
    return { phase: "waiting" };
  }

  // ---------------------------------------------------------------- drawing

  private render() {
    if (this.renderQueued || !this.view) return;
    this.renderQueued = true;
    const run = () => {
      if (!this.renderQueued) return;
      this.renderNow();
    };
    requestAnimationFrame(run);
    setTimeout(run, 120);
  }

  private renderNow() {
    this.renderQueued = false;
    if (!this.view) return;
    this.view.update(this.viewState());
  }

  private viewState(): ViewState {
    const s = strings(this.locale);
    const connected = !!this.connected();
    const items = this.chat.list().map((i) => (i.state === "sending" && !connected ? { ...i, state: "queued" as const } : i));
    const { phase, agentName } = this.phase(items);

    let banner: ViewState["banner"] = null;
    const disconnectedFor = this.disconnectedAt ? Date.now() - this.disconnectedAt : 0;
    if (this.fatal) banner = { tone: "warn", text: s[this.fatal], icon: "alert" };
    else if (typeof navigator !== "undefined" && navigator.onLine === false) banner = { tone: "warn", text: s.offline, icon: "offline" };
    else if (this.connectError) banner = { tone: "warn", text: s.connectError, icon: "alert" };
    else if (this.session && this.everConnected && !connected && disconnectedFor > 1500)
      banner = { tone: "warn", text: s.reconnecting, icon: "offline" };
    else if (this.notice) banner = { tone: "info", text: s[this.notice], icon: "alert" };

    let quickReplies: ViewState["quickReplies"] = [];
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      if (it.type === "activity") continue;
      if ((it.sender === "bot" || it.sender === "agent") && !it.streaming && Array.isArray(it.attributes.quickReplies)) {
        // "Talk to a person" has its own permanent chip.
        quickReplies = it.attributes.quickReplies.filter(
          (q) => q && typeof q.label === "string" && q.label.trim() && !HUMAN.test(q.text || q.label),
        );
      }
      break;
    }

    const g = this.session?.inbox.greeting;
    const greeting = g && !(this.locale !== "en" && !CJK.test(g)) ? g : s.greeting;
    const typing = this.agentTyping.on
      ? { who: "agent" as const, name: agentName }
      : this.botTyping.on && phase === "assistant"
        ? { who: "bot" as const }
        : null;
    const csat = this.csatMode(items);
    const nps = this.npsMode(items, csat);
    const asking = (m: CsatMode) => m === "ask" || m === "sending" || m === "error";
    const pre = this.session && this.session.preChat;
    const preChat =
      pre && !this.preChatDone && !this.chat.conversationId && !items.length
        ? { fields: pre.fields, errors: this.preChatErrors, sending: this.preChatSending }
        : null;
    const teamAway = !!this.availability && !this.availability.online;
    const away =
      phase === "waiting" && teamAway && this.chat.conversationId && !items.some((i) => i.attributes.kind === "follow_up")
        ? {
            email: (this.session && this.session.contact.email) || "",
            hours: this.availability!.hours,
            sending: this.awaySending,
            error: this.awayError,
          }
        : null;

    const stepUp = this.stepUpView(items, phase);

    const feedback: ViewState["feedback"] = {};
    for (const i of items) if (i.id && canRate(i)) feedback[i.id] = feedbackState(i, this.sentFeedback.get(i.id));

    return {
      locale: this.locale,
      s,
      title: this.settings.title || this.session?.inbox.name || s.defaultTitle,
      color: this.settings.color,
      open: this.isOpen,
      unread: this.unread,
      items,
      greeting,
      phase,
      agentName,
      typing,
      banner,
      quickReplies,
      feedback,
      showHuman: phase === "assistant" && !this.fatal,
      csat,
      nps,
      showNewConversation: this.chat.status === "resolved" && !asking(csat) && !asking(nps),
      preview: this.isOpen ? null : this.preview,
      maxLength: MAX_LENGTH,
      connected,
      preChat,
      away,
      teamAway,
      stepUp,
      transcript:
        this.chat.status === "resolved" && !asking(csat) && !asking(nps)
          ? this.transcriptState || { mode: "offer", email: (this.session && this.session.contact.email) || "" }
          : null,
    };
  }
}

function whenBody(fn: () => void) {
  if (document.body) fn();
  else document.addEventListener("DOMContentLoaded", fn, { once: true });
}

/** The seq of the latest "resolved" line: a rating or answer given before it belongs to an earlier resolution. */
function resolvedSeqOf(items: ChatItem[]): number {
  let seq = 0;
  for (const i of items)
    if (i.type === "activity" && i.attributes.kind === "status" && i.attributes.status === "resolved" && i.seq) seq = i.seq;
  return seq;
}
