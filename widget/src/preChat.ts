import type { Strings } from "./locales/index.ts";
import { EMAIL } from "./text.ts";
import type { SessionResponse } from "./types.ts";
import type { WidgetApi } from "./widgetApi.ts";

export type PreChatErrors = Partial<Record<"name" | "email" | "phone" | "form", string>>;

/** The fields' errors as the widget says them: required ones missing, an e-mail address that is not one. */
export function checkPreChat(form: NonNullable<SessionResponse["preChat"]>, values: Record<string, string>, s: Strings): PreChatErrors {
  const messages = { name: s.errName, email: s.errEmail, phone: s.errPhone };
  const errors: PreChatErrors = {};
  for (const f of form.fields) {
    const v = values[f.name];
    if ((!v && f.required) || (v && f.name === "email" && !EMAIL.test(v))) errors[f.name] = messages[f.name];
  }
  return errors;
}

/**
 * The inbox's pre-chat form (POST /widget/prechat): shown instead of the composer before the
 * first message until it is filled in; the server's verdict on each field is shown beside it.
 */
export class PreChat {
  private done = false;
  private sending = false;
  private errors: PreChatErrors = {};

  constructor(
    private readonly host: {
      readonly session: SessionResponse | undefined;
      readonly strings: Strings;
      render(): void;
      /** The form is filled in: the composer takes the focus. */
      completed(): void;
    },
    private readonly api: WidgetApi,
  ) {}

  async submit(values: Record<string, string>): Promise<void> {
    const host = this.host;
    const form = host.session && host.session.preChat;
    if (!form || this.sending) return;
    const s = host.strings;
    const messages = { name: s.errName, email: s.errEmail, phone: s.errPhone };
    const errors = checkPreChat(form, values, s);
    this.errors = errors;
    if (!Object.keys(errors).length) {
      this.sending = true;
      host.render();
      const res = await this.api.request("POST", "/widget/prechat", JSON.stringify(values), "application/json");
      this.sending = false;
      if (res.status === 200 && res.json && res.json.contact) {
        this.done = true;
        if (host.session) host.session.contact = res.json.contact;
        host.completed();
      } else if (res.status === 400 && res.json && res.json.error && Array.isArray(res.json.error.details)) {
        for (const d of res.json.error.details as Array<{ path: string }>) {
          const key = d.path as keyof typeof messages;
          errors[messages[key] ? key : "form"] = messages[key] || s.errGeneric;
        }
      } else errors.form = s.errGeneric;
    }
    host.render();
  }

  /** The form while the inbox has one, it is not filled in, and the conversation has not started. */
  view(
    conversationStarted: boolean,
  ): { fields: NonNullable<SessionResponse["preChat"]>["fields"]; errors: PreChatErrors; sending: boolean } | null {
    const pre = this.host.session && this.host.session.preChat;
    return pre && !this.done && !conversationStarted ? { fields: pre.fields, errors: this.errors, sending: this.sending } : null;
  }

  reset(): void {
    this.done = this.sending = false;
    this.errors = {};
  }
}
