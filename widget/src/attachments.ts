import type { Chat } from "./chat.ts";
import { format, type Strings } from "./locales/index.ts";
import type { Outbox } from "./outbox.ts";
import type { OutboxEntry } from "./storage.ts";
import { newClientId } from "../../shared/clientId.ts";
import type { Attachment, SessionResponse } from "./types.ts";
import type { WidgetApi } from "./widgetApi.ts";

/** The largest file when the session does not say (the default of the server's MAX_ATTACHMENT_BYTES). */
const DEFAULT_MAX_BYTES = 10 * 1048576;

/** What the attachments ask of the widget around them. */
export interface AttachmentsHost {
  readonly booted: boolean;
  readonly chat: Chat;
  readonly strings: Strings;
  readonly session: SessionResponse | undefined;
  origin(): string;
  ensureSession(): Promise<boolean>;
  contactId(): string | undefined;
  /** A file was picked: the reply preview beside the launcher goes. */
  picked(): void;
  /** An uploaded file's message is in the outbox: send it. */
  flush(): void;
  render(): void;
}

/**
 * Files the customer attaches: uploaded first (POST /widget/attachments), then sent as a message
 * like any other through the outbox; and the files shown in the transcript, fetched with the
 * session token and shown from blob: URLs (the token never goes to another origin).
 */
export class Attachments {
  /** Files picked but not uploaded yet (by the client id of their message), kept for a retry. */
  private files = new Map<string, { file: File; local: Attachment; createdAt: string }>();
  /** Attachment id (or local client id) → blob: URL to show it, fetched once with the session token. */
  private blobs = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly host: AttachmentsHost,
    private readonly outbox: Outbox,
    private readonly api: WidgetApi,
  ) {}

  async attach(file: File): Promise<void> {
    const host = this.host;
    if (!host.booted) return;
    const clientId = newClientId();
    const local: Attachment = { name: file.name, contentType: file.type, size: file.size };
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
      local.preview = URL.createObjectURL(file);
      this.blobs.set(clientId, Promise.resolve(local.preview));
    }
    const createdAt = new Date().toISOString();
    this.files.set(clientId, { file, local, createdAt });
    host.chat.addPending(clientId, "", createdAt, "sending", undefined, [local]);
    host.picked();
    host.render();
    await this.upload(clientId);
  }

  /** Tries a file's upload again; false when the message is not a file waiting to go up. */
  retry(clientId: string): boolean {
    if (!this.files.has(clientId)) return false;
    this.host.chat.setState(clientId, "sending");
    this.host.render();
    void this.upload(clientId);
    return true;
  }

  /** Drops a file that could not be sent. */
  discard(clientId: string): void {
    this.files.delete(clientId);
    this.outbox.remove(clientId);
    this.host.chat.removePending(clientId);
    this.host.render();
  }

  /** Uploads a picked file, then queues its message like any other (outbox, exactly once). */
  private async upload(clientId: string) {
    const host = this.host;
    const pending = this.files.get(clientId);
    if (!pending) return;
    const { file, local, createdAt } = pending;
    const s = host.strings;
    const fail = (error?: string) => {
      host.chat.setState(clientId, "failed", error);
      host.render();
    };
    const max = (host.session && host.session.inbox.maxAttachmentBytes) || DEFAULT_MAX_BYTES;
    if (file.size > max) return fail(format(s.fileTooLarge, { max: `${Math.round(max / 1048576)} MB` }));
    if (!(await host.ensureSession()) || !host.session) return fail();
    const name = encodeURIComponent(file.name.slice(0, 200));
    const res = await this.api.request("POST", `/widget/attachments?name=${name}&clientId=${clientId}`, file, "application/octet-stream");
    if (!this.files.has(clientId)) return; // discarded meanwhile
    const a = res.json ? res.json.attachment : undefined;
    if (res.status === 201 && a && a.id) {
      this.files.delete(clientId);
      if (local.preview) this.blobs.set(a.id, Promise.resolve(local.preview));
      const entry: OutboxEntry = {
        clientId,
        contactId: host.contactId(),
        conversationId: host.chat.conversationId,
        content: "",
        createdAt,
        attachments: [a],
      };
      this.outbox.update((all) => [...all, entry]);
      host.chat.addPending(clientId, "", createdAt, "sending", undefined, [{ ...a, preview: local.preview }]);
      host.render();
      host.flush();
    } else if (res.status === 415) {
      // Not what it claimed to be: show it as a plain file, not as a broken picture.
      host.chat.addPending(clientId, "", createdAt, "failed", s.fileType, [{ name: local.name, size: local.size }]);
      host.render();
    } else if (res.status === 413) fail(format(s.fileTooLarge, { max: `${Math.round(max / 1048576)} MB` }));
    else if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429)
      fail((res.json && res.json.error && res.json.error.message) || s.errGeneric);
    else fail(); // network, rate limit, server: can be retried
  }

  /** A displayable URL (blob:) for an attachment, fetched once with the session's credentials. */
  src(a: Attachment): Promise<string | undefined> {
    if (a.preview) return Promise.resolve(a.preview);
    if (!a.id || !a.url) return Promise.resolve(undefined);
    const id = a.id;
    let p = this.blobs.get(id);
    if (!p) {
      // Only ever send the session token to our own server.
      const origin = this.host.origin();
      let url: string | undefined;
      try {
        const u = new URL(a.url, origin);
        if (u.origin === origin) url = u.href;
      } catch {
        /* not a URL */
      }
      const token = this.host.session && this.host.session.token;
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
  async open(a: Attachment): Promise<void> {
    const url = await this.src(a);
    if (!url) return;
    const link = document.createElement("a");
    link.href = url;
    if (/^image\//.test(a.contentType || "")) {
      link.target = "_blank";
      link.rel = "noopener";
    } else link.download = a.name || "document.pdf";
    link.click();
  }

  /** Shutdown: the blob: URLs are released, picked files forgotten. */
  reset(): void {
    for (const p of this.blobs.values()) void p.then((u) => u && URL.revokeObjectURL(u));
    this.blobs.clear();
    this.files.clear();
  }
}
