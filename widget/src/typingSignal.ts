import { WIDGET_REQUESTS } from "../../shared/wire/index.ts";
import type { Connection } from "./connection.ts";

/** After this long without a keystroke the customer is taken to have stopped typing. */
const IDLE_MS = 4000;

/**
 * Tells the agent the customer is typing: once when they start, once when they stop
 * (sent, idle for a while, closed the panel), never a message per keystroke.
 */
export class TypingSignal {
  private sent = false;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly connection: Pick<Connection, "connected" | "notify">,
    /** The conversation the customer types in, while it is not resolved. */
    private readonly conversation: () => { id: string | undefined; resolved: boolean },
  ) {}

  typed(): void {
    const { id, resolved } = this.conversation();
    if (!id || !this.connection.connected || resolved) return;
    if (!this.sent) {
      this.sent = true;
      this.connection.notify(WIDGET_REQUESTS.typing, { conversationId: id, typing: true });
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), IDLE_MS);
  }

  /** Shutdown: no "stopped" is sent later. */
  cancel(): void {
    clearTimeout(this.timer);
  }

  /** tell: false when the connection dropped (the server knows). */
  stop(tell = true): void {
    clearTimeout(this.timer);
    const id = this.conversation().id;
    if (this.sent && tell && id) this.connection.notify(WIDGET_REQUESTS.typing, { conversationId: id, typing: false });
    this.sent = false;
  }
}
