import type { Chat } from "./chat.ts";
import { View } from "./ui/view.ts";
import type { ViewActions, ViewState } from "./ui/viewState.ts";
import { resolveLocale, strings, type Locale, type Strings } from "./locales/index.ts";
import { storesFor, type OutboxEntry, type Stores } from "./storage.ts";
import { newClientId } from "../../shared/clientId.ts";
import { cleanIdentity } from "./identity.ts";
import { Listeners, safeCall, type Listener } from "./listeners.ts";
import { Outbox } from "./outbox.ts";
import { OutboxSender } from "./outboxSender.ts";
import { Connection } from "./connection.ts";
import { SessionKeeper } from "./session.ts";
import { Conversation } from "./conversation.ts";
import { Attachments } from "./attachments.ts";
import { PreChat } from "./preChat.ts";
import { FollowUp } from "./followUp.ts";
import { TranscriptByEmail } from "./transcriptByEmail.ts";
import { StepUps } from "./stepUp.ts";
import { Ratings } from "./ratings.ts";
import { ReadMarks } from "./readMarks.ts";
import { TypingSignal } from "./typingSignal.ts";
import { WidgetApi } from "./widgetApi.ts";
import { agentNameOf } from "./phase.ts";
import { plain } from "./text.ts";
import { buildViewState, MAX_MESSAGE_LENGTH } from "./buildViewState.ts";
import { viewActions } from "./viewActions.ts";
import { applySession } from "./applySession.ts";
import { resetParts } from "./resetParts.ts";
import type { BootSettings, ConversationSummary, Identity, ServerMessage, SessionResponse } from "./types.ts";

export type WidgetEvent = "ready" | "open" | "close" | "message" | "unread" | "handoff";
const COMMANDS = ["boot", "shutdown", "open", "close", "identify", "setLocale", "on", "off"];

/**
 * The widget: the page's commands (boot, open, identify, shutdown...), and the parts that do the
 * work, each in its own file behind a narrow interface: the session (session.ts), the socket
 * (connection.ts), the outbox and its sending (outbox.ts, outboxSender.ts), the conversation on
 * screen (conversation.ts), attachments, forms, step-up, ratings and read marks; `View` draws
 * what buildViewState.ts makes of them, and its controls reach them through viewActions.ts. A
 * session is taken up by applySession.ts, and the parts reset by resetParts.ts.
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
  private ready = false;
  private isOpen = false;
  private preview: ViewState["preview"] = null;
  private renderQueued = false;
  private readonly listeners = new Listeners();
  private readonly outbox = new Outbox(() => this.stores.outbox);

  private readonly session: SessionKeeper;
  private readonly connection: Connection;
  private readonly api: WidgetApi;
  private readonly conversation: Conversation;
  private readonly sender: OutboxSender;
  private readonly typing: TypingSignal;
  private readonly attachments: Attachments;
  private readonly preChat: PreChat;
  private readonly followUp: FollowUp;
  private readonly transcript: TranscriptByEmail;
  private readonly stepUps: StepUps;
  private readonly ratings: Ratings;
  private readonly readMarks: ReadMarks;

  constructor(private readonly scriptOrigin: string) {
    // What every part may read of the widget: getters, so that each reads the state of the moment
    // (inside a getter `this` is the host object, hence the alias).
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const w = this;
    const render = () => this.render();
    const here = {
      get generation() {
        return w.generation;
      },
      get booted() {
        return w.booted;
      },
      get chat(): Chat {
        return w.conversation.chat;
      },
      get strings(): Strings {
        return strings(w.locale);
      },
      get session(): SessionResponse | undefined {
        return w.session.current;
      },
      get ui() {
        return w.stores.ui;
      },
      origin: () => this.origin(),
      conversationId: () => this.conversation.id,
      contactId: () => this.contactId(),
      render,
    };
    this.session = new SessionKeeper(
      extend(here, {
        get inbox() {
          return w.inbox;
        },
        get stores() {
          return w.stores;
        },
        started: (res: SessionResponse) => {
          this.followUp.availability = res.availability;
          applySession(res, {
            savedSession: this.stores.session,
            identity: this.session.identity,
            outbox: this.outbox,
            conversation: this.conversation,
            readMarks: this.readMarks,
            connection: this.connection,
            render,
          });
        },
      }),
    );
    this.api = new WidgetApi({ origin: here.origin, token: () => this.session.current?.token, revoked: () => this.startFresh() });
    this.connection = new Connection({
      origin: here.origin,
      token: () => this.session.current?.token ?? "",
      render,
      connected: () => void this.onConnect(),
      disconnected: () => this.typing.stop(false),
      revoked: () => this.startFresh(),
      forgetSession: () => this.session.forget(),
      renewSession: () => void this.session.ensure(),
      message: (m) => this.conversation.onMessage(m),
      stream: (e) => this.conversation.onStream(e),
      conversation: (c) => this.conversation.onConversation(c),
      handoff: (e) => this.conversation.onHandoff(e),
      typing: (e) => this.conversation.onTyping(e),
    });
    this.readMarks = new ReadMarks(
      extend(here, {
        seeing: () => this.isOpen && document.visibilityState === "visible",
        changed: (n: number) => this.emit("unread", n),
      }),
    );
    this.conversation = new Conversation(
      extend(here, {
        get savedSession() {
          return w.stores.session;
        },
        get readMarks() {
          return w.readMarks;
        },
        get creatingConversation() {
          return w.sender.creatingConversation;
        },
        changed: () => {
          this.ratings.resetConversation();
          this.transcript.reset();
        },
        reopened: () => this.ratings.forgetThanks(),
        arrived: (m: ServerMessage) => this.arrived(m),
        checkAvailability: () => void this.followUp.refresh(),
        handedOff: (conversationId: string) => this.emit("handoff", { conversationId }),
        teamAway: () => this.followUp.teamAway,
      }),
      this.connection,
      this.outbox,
    );
    this.sender = new OutboxSender(
      this.outbox,
      this.connection,
      extend(here, {
        get hasSession() {
          return !!w.session.current;
        },
        adopt: (c: ConversationSummary) => this.conversation.adopt(c),
        forget: () => this.conversation.forget(),
        stored: (entry: OutboxEntry, message: ServerMessage) => this.stored(entry, message),
        refused: (entry: OutboxEntry, message: string) => {
          this.conversation.chat.setState(entry.clientId, "failed", message);
          this.render();
        },
      }),
    );
    this.typing = new TypingSignal(this.connection, () => ({
      id: this.conversation.id,
      resolved: this.conversation.chat.status === "resolved",
    }));
    this.attachments = new Attachments(
      extend(here, {
        ensureSession: () => this.session.ensure(),
        picked: () => (this.preview = null),
        flush: () => void this.sender.flush(),
      }),
      this.outbox,
      this.api,
    );
    this.preChat = new PreChat(extend(here, { completed: () => setTimeout(() => this.view && this.view.focusInput(), 0) }), this.api);
    const accepted = (m: ServerMessage) => this.conversation.accept([m]);
    this.followUp = new FollowUp(extend(here, { accepted }), this.connection, this.api);
    this.transcript = new TranscriptByEmail(here, this.connection);
    this.stepUps = new StepUps(here, this.connection);
    this.ratings = new Ratings(extend(here, { accepted }), this.connection);
    window.addEventListener("online", () => this.onOnline());
    window.addEventListener("offline", () => this.render());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.isOpen) {
        this.readMarks.markRead();
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
    if (id) this.session.identity = { ...(this.session.identity ?? {}), ...id };
    const gen = this.generation;
    whenBody(() => {
      if (gen !== this.generation) return;
      this.view = new View(this.actions());
      this.view.mount();
      const saved = this.stores.session.get();
      this.conversation.show(saved?.conversationId);
      this.conversation.restorePending(saved?.contactId);
      // Stays open across pages, except full screen on a phone.
      this.isOpen = !!(this.settings.open ?? (this.stores.ui.get()?.open && window.innerWidth > 480));
      this.renderNow();
      this.ready = true;
      this.emit("ready");
      if (this.isOpen) this.emit("open");
      // Deferred a tick so that an `identify` right after `boot` makes one request, not two.
      setTimeout(() => {
        if (gen !== this.generation || this.session.current || this.session.starting) return;
        const s = this.stores.session.get();
        // A signed-in customer's session resumes only when the page identifies them again.
        if (s && s.verified) this.session.awaitIdentity();
        const identity = this.session.identity;
        const resumable = !!s?.token && !(s.verified && !identity?.userId);
        if (resumable || identity?.userId || this.isOpen || this.outbox.forContact(this.contactId()).length) void this.session.ensure();
      }, 0);
    });
  }

  shutdown(): void {
    const stores = this.stores;
    // The token is revoked on the server too, so a copy of it (shared computer) is worthless.
    const token = this.session.current?.token ?? stores.session.get()?.token;
    if (token) this.api.endSession(token);
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
    this.saveOpen(true);
    this.preview = null;
    this.readMarks.markRead();
    this.renderNow();
    this.emit("open");
    void this.session.ensure();
    setTimeout(() => this.isOpen && this.view && this.view.focusInput(), 50);
  }

  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.view && this.view.hasFocus();
    this.isOpen = false;
    this.saveOpen(false);
    this.typing.stop();
    this.renderNow();
    this.emit("close");
    if (hadFocus && this.view) this.view.focusLauncher();
  }

  identify(raw: Identity): void {
    const id = cleanIdentity(raw);
    if (!id) return;
    if (this.session.identify(id, this.booted && !!this.view)) {
      this.connection.close();
      void this.session.ensure();
    }
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
    if (this.view) this.view.destroy();
    this.view = undefined;
    this.booted = false;
    this.ready = false;
    this.isOpen = false;
    this.settings = {};
    this.inbox = undefined;
    this.stores = storesFor(null);
    this.preview = null;
    resetParts(this.parts());
    if (wasOpen) this.emit("close");
  }

  /** The parts, for the functions that take them through a narrow interface (resetParts, viewActions). */
  private parts() {
    return {
      connection: this.connection,
      session: this.session,
      sender: this.sender,
      typing: this.typing,
      conversation: this.conversation,
      attachments: this.attachments,
      preChat: this.preChat,
      followUp: this.followUp,
      ratings: this.ratings,
      readMarks: this.readMarks,
      transcript: this.transcript,
      stepUps: this.stepUps,
    };
  }

  private actions(): ViewActions {
    return viewActions({
      ...this.parts(),
      widget: {
        toggle: () => (this.isOpen ? this.close() : this.open()),
        open: () => this.open(),
        close: () => this.close(),
        send: (text) => this.send(text),
        retry: (clientId) => this.retry(clientId),
        newConversation: () => this.newConversation(),
        dismissPreview: () => {
          this.preview = null;
          this.render();
        },
        talkToPersonText: () => strings(this.locale).talkToPerson,
      },
    });
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

  private contactId(): string | undefined {
    const session = this.session.current;
    return session && session.contact.id;
  }

  /** The token was revoked (shutdown elsewhere, or staff ended it): forget everything and start a new session. */
  private startFresh() {
    if (!this.booted) return;
    this.connection.close();
    this.session.ended();
    this.stores.session.set(undefined);
    this.stores.outbox.set(undefined);
    this.conversation.show();
    this.conversation.clearSideState();
    this.conversation.historySeq = 0;
    this.renderNow();
    void this.session.ensure();
  }

  private async onConnect() {
    this.sender.resetBackoff();
    this.render();
    await this.sender.flush();
    await this.conversation.sync();
  }

  private onOnline() {
    this.render();
    if (!this.booted) return;
    if (!this.session.current) {
      if (this.session.connectError) void this.session.ensure();
      return;
    }
    this.connection.reconnectNow();
  }

  // ---------------------------------------------------------------- sending

  private send(text: string) {
    const content = text.trim();
    if (!content || content.length > MAX_MESSAGE_LENGTH || !this.booted) return;
    const entry: OutboxEntry = {
      clientId: newClientId(),
      contactId: this.contactId(),
      conversationId: this.conversation.id,
      content,
      createdAt: new Date().toISOString(),
    };
    this.outbox.update((all) => [...all, entry]);
    this.conversation.chat.addPending(entry.clientId, content, entry.createdAt, "sending");
    this.typing.stop();
    this.preview = null;
    this.render();
    if (!this.session.current) void this.session.ensure();
    else void this.sender.flush();
  }

  private retry(clientId: string) {
    if (this.attachments.retry(clientId)) return;
    this.outbox.update((all) =>
      all.map((e) => (e.clientId === clientId ? { ...e, failed: undefined, conversationId: this.conversation.id } : e)),
    );
    this.conversation.chat.setState(clientId, "sending");
    this.render();
    if (!this.session.current) void this.session.ensure();
    else void this.sender.flush();
  }

  /** The server stored an outbox entry: show it as stored; the assistant answers words (a file alone waits for the team). */
  private stored(entry: OutboxEntry, message: ServerMessage) {
    const conversation = this.conversation;
    if (message.conversationId !== conversation.id) return;
    conversation.accept([message]);
    if (entry.content && (conversation.chat.status === "pending" || conversation.chat.status === undefined))
      conversation.botTyping.set(true);
  }

  /** A new message: the page's listeners, and a preview of a reply beside the closed launcher. */
  private arrived(m: ServerMessage) {
    this.emit("message", m);
    const from = m.sender?.type;
    if (!this.isOpen && m.type === "outgoing" && (from === "agent" || from === "bot")) {
      const s = strings(this.locale);
      const agentName = agentNameOf(this.conversation.chat.list());
      this.preview = { title: from === "bot" ? s.botLabel : (agentName ?? s.agentLabel), text: plain(m.content).slice(0, 160) };
    }
  }

  private newConversation() {
    this.conversation.show();
    this.conversation.clearSideState();
    this.ratings.forgetThanks();
    const saved = this.stores.session.get();
    if (saved) this.stores.session.set({ ...saved, conversationId: undefined, fresh: true });
    this.readMarks.update();
    this.renderNow();
    if (this.view) this.view.focusInput();
  }

  private saveOpen(open: boolean) {
    this.stores.ui.set({ ...(this.stores.ui.get() || {}), open });
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
    return buildViewState({
      locale: this.locale,
      title: this.settings.title,
      color: this.settings.color,
      open: this.isOpen,
      preview: this.preview,
      session: this.session,
      connection: this.connection,
      conversation: this.conversation,
      ratings: this.ratings,
      readMarks: this.readMarks,
      preChat: this.preChat,
      followUp: this.followUp,
      stepUps: this.stepUps,
      transcript: this.transcript,
    });
  }
}

/** base with extra's members added; getters stay getters (a spread would read them once). */
function extend<A extends object, B extends object>(base: A, extra: B): A & B {
  return Object.defineProperties(Object.create(base) as A & B, Object.getOwnPropertyDescriptors(extra));
}

function whenBody(fn: () => void) {
  if (document.body) fn();
  else document.addEventListener("DOMContentLoaded", fn, { once: true });
}
