import { io, type Socket } from "socket.io-client";
import { WIDGET_EVENTS, WIDGET_NAMESPACE, type Ack, type WidgetEvents, type WidgetRequests } from "../../shared/wire/index.ts";

const ACK_TIMEOUT_MS = 15_000;

/** What the connection asks of the widget around it. */
export interface ConnectionHost {
  origin(): string;
  /** The session token the socket authenticates with (read again on every reconnect). */
  token(): string;
  render(): void;
  /** (Re)connected: send what waits, then fetch what was missed. */
  connected(): void;
  disconnected(): void;
  /** The session was ended (shutdown elsewhere, or staff): start afresh. */
  revoked(): void;
  /** The token was refused: forget the session now, start a new one when `renewSession` is called. */
  forgetSession(): void;
  renewSession(): void;
  /** What the server pushes (shared/wire: WIDGET_EVENTS). */
  message(m: WidgetEvents["message"]): void;
  stream(e: WidgetEvents["message:stream"]): void;
  conversation(c: WidgetEvents["conversation"]): void;
  handoff(e: WidgetEvents["handoff"]): void;
  typing(e: WidgetEvents["typing"]): void;
}

/** The way requests go out: the connection, or a stand-in in tests. */
export interface Requests {
  readonly connected: boolean;
  /** A request of the wire contract (shared/wire: WIDGET_REQUESTS), its reply typed as the server is checked to send it. */
  request<E extends keyof WidgetRequests>(
    event: E,
    payload: WidgetRequests[E]["payload"],
    timeout?: number,
  ): Promise<Ack<WidgetRequests[E]["reply"]>>;
}

/**
 * The Socket.IO connection to /widget: opened once there is a session, authenticated by its
 * token, reconnected with back-off, and dropped when the token is refused (a new session is
 * started, which keeps the contact when it can).
 */
export class Connection implements Requests {
  private socket?: Socket;
  /** Connected once since the session started: a later disconnect is "reconnecting". */
  everConnected = false;
  disconnectedAt?: number;
  private authFailures = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly host: ConnectionHost) {}

  get connected(): boolean {
    return !!this.socket && this.socket.connected;
  }

  open(): void {
    this.close();
    const host = this.host;
    const socket = io(`${host.origin()}${WIDGET_NAMESPACE}`, {
      auth: (cb) => cb({ token: host.token() }),
      forceNew: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 8000,
      timeout: 15_000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      if (socket !== this.socket) return;
      this.everConnected = true;
      this.disconnectedAt = undefined;
      this.authFailures = 0;
      host.connected();
    });
    socket.on("disconnect", (reason) => {
      if (socket !== this.socket) return;
      this.disconnectedAt = Date.now();
      host.disconnected();
      if (reason === "io server disconnect") this.reconnectTimer = setTimeout(() => socket.connect(), 1000);
      setTimeout(() => host.render(), 1600);
      host.render();
    });
    socket.on("connect_error", (err) => {
      if (socket !== this.socket) return;
      this.disconnectedAt ??= Date.now();
      if (err?.message === "session_revoked") {
        host.revoked();
      } else if (err?.message === "unauthenticated") {
        // The token was revoked or expired: start a new session (it keeps the contact when it can).
        this.authFailures++;
        host.forgetSession();
        this.close();
        const delay = this.authFailures > 2 ? Math.min(30_000, 2000 * this.authFailures) : 0;
        this.reconnectTimer = setTimeout(() => host.renewSession(), delay);
      } else if (!socket.active) {
        this.reconnectTimer = setTimeout(() => socket.connect(), 3000 + Math.random() * 2000);
      }
      host.render();
    });
    socket.on(WIDGET_EVENTS.message, (m: WidgetEvents["message"]) => host.message(m));
    socket.on(WIDGET_EVENTS.stream, (e: WidgetEvents["message:stream"]) => host.stream(e));
    socket.on(WIDGET_EVENTS.conversation, (c: WidgetEvents["conversation"]) => host.conversation(c));
    socket.on(WIDGET_EVENTS.handoff, (e: WidgetEvents["handoff"]) => host.handoff(e));
    socket.on(WIDGET_EVENTS.typing, (e: WidgetEvents["typing"]) => host.typing(e));
    socket.on(WIDGET_EVENTS.sessionRevoked, () => host.revoked());
  }

  close(): void {
    clearTimeout(this.reconnectTimer);
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.removeAllListeners();
      s.disconnect();
    }
  }

  /** The page is back online: reconnect now instead of waiting for the back-off timer. */
  reconnectNow(): void {
    const s = this.socket;
    if (s && !s.connected) {
      s.disconnect();
      s.connect();
    }
  }

  /** No answer on a connection that looks alive: it is probably dead; drop it (the reconnect re-sends). */
  drop(): void {
    if (this.socket && this.socket.connected) (this.socket.io as unknown as { engine: { close(): void } }).engine.close();
  }

  request<E extends keyof WidgetRequests>(
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

  /** A request the server does not answer (typing): sent only while connected. */
  notify<E extends keyof WidgetRequests>(event: E, payload: WidgetRequests[E]["payload"]): void {
    if (this.socket && this.socket.connected) this.socket.emit(event, payload);
  }

  /** After shutdown: the next session's first disconnect is not "reconnecting". */
  reset(): void {
    this.close();
    this.everConnected = false;
  }
}
