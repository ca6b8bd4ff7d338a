import type { AppContext } from "../context.ts";
import { Mailer } from "./Mailer.ts";

const mailers = new WeakMap<AppContext, Mailer>();

/** The process's mailer, configured from SMTP_URL and MAIL_FROM (one pooled transport per process). */
export function mailerFor(ctx: AppContext): Mailer {
  let m = mailers.get(ctx);
  if (!m) {
    m = new Mailer({ smtpUrl: ctx.config.SMTP_URL, from: ctx.config.MAIL_FROM, timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS });
    mailers.set(ctx, m);
  }
  return m;
}

export function closeMailer(ctx: AppContext): void {
  mailers.get(ctx)?.close();
  mailers.delete(ctx);
}
