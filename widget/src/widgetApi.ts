import type { AckError, InboxAvailability } from "../../shared/wire/index.ts";
import type { Attachment, SessionResponse } from "./types.ts";

/** What the widget reads from REST answers: an error, an upload's attachment, the contact (pre-chat), the availability. */
export interface ApiJson extends Partial<Pick<InboxAvailability, "online" | "hours">> {
  /** `details`: the invalid fields (`[{path}]`, 400) or why a token was refused (`{reason}`, 401). */
  error?: Partial<AckError>;
  attachment?: Attachment;
  contact?: SessionResponse["contact"];
}

/** The widget's REST API (/api/v1/widget/...), authenticated by the session token. */
export class WidgetApi {
  constructor(
    private readonly host: {
      origin(): string;
      token(): string | undefined;
      /** The server says the token was revoked: start afresh. */
      revoked(): void;
    },
  ) {}

  /** A request with the session token; status 0: no network. A revoked session starts afresh. */
  async request(method: string, path: string, body?: BodyInit, type?: string): Promise<{ status: number; json: ApiJson | null }> {
    let status = 0;
    let json: ApiJson | null = null;
    try {
      const res = await fetch(`${this.host.origin()}/api/v1${path}`, {
        method,
        body,
        credentials: "omit",
        headers: { authorization: `Bearer ${this.host.token() ?? ""}`, ...(type ? { "content-type": type } : {}) },
      });
      status = res.status;
      json = await res.json().catch(() => null);
    } catch {
      /* network: status 0 */
    }
    const details = json && json.error && (json.error.details as { reason?: string } | undefined);
    if (status === 401 && details && details.reason === "session_revoked") this.host.revoked();
    return { status, json };
  }

  /** Revokes a token on the server (shutdown), so that a copy of it (shared computer) is worthless; survives the page's unload. */
  endSession(token: string): void {
    fetch(`${this.host.origin()}/api/v1/widget/sessions/current`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
      credentials: "omit",
      keepalive: true,
    }).catch(() => undefined);
  }
}
