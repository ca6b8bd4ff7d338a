import { WIDGET_REQUESTS } from "../../shared/wire/index.ts";
import type { Requests } from "./connection.ts";
import type { Strings } from "./locales/index.ts";
import { EMAIL } from "./text.ts";
import type { SessionResponse } from "./types.ts";

export interface TranscriptState {
  mode: "offer" | "form" | "sending" | "sent" | "unavailable";
  email: string;
  error?: string;
}

/** After a resolved conversation: the offer to e-mail its transcript (conversation:transcript). */
export class TranscriptByEmail {
  private state?: TranscriptState;

  constructor(
    private readonly host: {
      readonly session: SessionResponse | undefined;
      readonly strings: Strings;
      conversationId(): string | undefined;
      render(): void;
    },
    private readonly requests: Requests,
  ) {}

  /** First call opens the form; with an address, asks the server to mail the transcript. */
  async send(email?: string): Promise<void> {
    const conversationId = this.host.conversationId();
    const t = this.view();
    if (!conversationId || t.mode === "sending") return;
    const s = this.host.strings;
    if (email === undefined) this.state = { ...t, mode: "form" };
    else if (!EMAIL.test(email)) this.state = { mode: "form", email, error: s.errEmail };
    else {
      this.state = { mode: "sending", email };
      this.host.render();
      const r = await this.requests.request(WIDGET_REQUESTS.transcript, { conversationId, email });
      this.state = r.ok
        ? { mode: r.sent ? "sent" : "unavailable", email }
        : { mode: "form", email, error: r.error.code === "validation_error" ? s.errEmail : r.error.message || s.errGeneric };
    }
    this.host.render();
  }

  view(): TranscriptState {
    const session = this.host.session;
    return this.state || { mode: "offer", email: (session && session.contact.email) || "" };
  }

  /** Another conversation: offer it afresh. */
  reset(): void {
    this.state = undefined;
  }
}
