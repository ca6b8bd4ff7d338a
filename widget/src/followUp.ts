import { WIDGET_REQUESTS, type Message, type ServiceHours } from "../../shared/wire/index.ts";
import type { Requests } from "./connection.ts";
import type { Strings } from "./locales/index.ts";
import { newClientId } from "../../shared/clientId.ts";
import { EMAIL } from "./text.ts";
import type { Availability, SessionResponse } from "./types.ts";
import type { WidgetApi } from "./widgetApi.ts";

/**
 * Whether a person can answer now (the session's availability, read again on a handoff), and,
 * when nobody can, the offer to leave an e-mail address for the answer (conversation:follow_up).
 */
export class FollowUp {
  availability?: Availability;
  private sending = false;
  private error?: string;

  constructor(
    private readonly host: {
      readonly session: SessionResponse | undefined;
      readonly strings: Strings;
      conversationId(): string | undefined;
      /** The server's note that the address was kept: a line of the transcript. */
      accepted(m: Message): void;
      render(): void;
    },
    private readonly requests: Requests,
    private readonly api: WidgetApi,
  ) {}

  get teamAway(): boolean {
    return !!this.availability && !this.availability.online;
  }

  async leaveMessage(email: string): Promise<void> {
    const host = this.host;
    const conversationId = host.conversationId();
    if (!conversationId || this.sending) return;
    const s = host.strings;
    if (!EMAIL.test(email)) {
      this.error = s.errEmail;
      return host.render();
    }
    this.sending = true;
    this.error = undefined;
    host.render();
    const r = await this.requests.request(WIDGET_REQUESTS.followUp, { conversationId, clientId: newClientId(), email });
    this.sending = false;
    if (r.ok) {
      if (host.session) host.session.contact.email = email;
      host.accepted(r.message);
    } else this.error = r.error.code === "validation_error" ? s.errEmail : s.errGeneric;
    host.render();
  }

  /** After a handoff: is anyone there now? */
  async refresh(): Promise<void> {
    if (!this.host.session) return;
    const res = await this.api.request("GET", "/widget/availability");
    if (res.status === 200 && res.json && typeof res.json.online === "boolean") {
      this.availability = { online: res.json.online, hours: res.json.hours };
      this.host.render();
    }
  }

  /** The offer, while the customer waits for a team that is away and has not left an address yet. */
  view(waiting: boolean, addressLeft: boolean): { email: string; hours?: ServiceHours; sending: boolean; error?: string } | null {
    const session = this.host.session;
    return waiting && this.teamAway && this.host.conversationId() && !addressLeft
      ? { email: (session && session.contact.email) || "", hours: this.availability!.hours, sending: this.sending, error: this.error }
      : null;
  }

  reset(): void {
    this.sending = false;
    this.availability = this.error = undefined;
  }
}
