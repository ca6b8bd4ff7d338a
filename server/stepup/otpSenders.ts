import type { AppContext } from "../context.ts";
import { loadChannelInbox } from "../channels/channelInboxes.ts";
import { twilioAdapter } from "../channels/twilio.ts";
import { providerRequest } from "../channels/providerRequest.ts";
import { mailerFor } from "../mail/mailerFor.ts";
import { AppError } from "../errors.ts";
import { demoPhone } from "../demo/demoPhone.ts";
import { OtpSendError, type OtpSender } from "./OtpSender.ts";
import type { StepUpPolicy } from "./stepUpPolicy.ts";

/**
 * Codes by SMS through the Twilio account of one of the bank's SMS inboxes (the one
 * the inbox's step-up settings name): the same provider, credentials and outgoing
 * guard as the inbox's replies, so there is no second SMS account to configure.
 */
export function smsOtpSender(ctx: AppContext, smsInbox: string): OtpSender {
  return {
    channel: "sms",
    via: "phone",
    async send(m) {
      let config;
      try {
        ({ config } = await loadChannelInbox(ctx, twilioAdapter, smsInbox));
      } catch (err) {
        if (err instanceof AppError) throw new OtpSendError(`The SMS inbox "${smsInbox}" cannot send: ${err.message}`);
        throw err;
      }
      const form = new URLSearchParams({ To: m.to, Body: m.text });
      form.set(config.from.startsWith("MG") ? "MessagingServiceSid" : "From", config.from);
      const base = ctx.config.TWILIO_API_BASE_URL.replace(/\/+$/, "");
      try {
        await providerRequest(ctx.outbound, "Twilio", `${base}/2010-04-01/Accounts/${config.accountSid}/Messages.json`, {
          method: "POST",
          headers: {
            authorization: "Basic " + Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64"),
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: form.toString(),
          timeoutMs: ctx.config.OUTBOUND_TIMEOUT_MS,
        });
      } catch (err) {
        // providerRequest's message names the provider and status only, never the body (the code).
        throw new OtpSendError((err as Error).message);
      }
    },
  };
}

/** Codes by e-mail through the SMTP server of SMTP_URL / MAIL_FROM. */
export function emailOtpSender(ctx: AppContext): OtpSender {
  return {
    channel: "email",
    via: "email",
    async send(m) {
      const mailer = mailerFor(ctx);
      if (!mailer.configured) throw new OtpSendError("Outbound e-mail is not configured (SMTP_URL)");
      try {
        await mailer.send({ to: m.to, subject: m.subject, text: m.text, headers: { "Auto-Submitted": "auto-generated" } });
      } catch (err) {
        throw new OtpSendError(`The mail server did not take the code (${(err as { code?: string }).code ?? "error"})`);
      }
    },
  };
}

/** The demo bank's on-screen phone: refuses to send unless the demo is seeded, so it never stands in for a real channel. */
function demoPhoneSender(ctx: AppContext): OtpSender {
  return {
    channel: "demo_phone",
    via: "phone",
    async send(m) {
      if (!ctx.config.DEMO_SEED) throw new OtpSendError("The demo phone exists only in the demo (DEMO_SEED)");
      demoPhone.receive(m.customerId, m.to, m.text);
    },
  };
}

/** The sender an inbox's step-up policy names, or null when it names none. */
export function otpSenderFor(ctx: AppContext, policy: StepUpPolicy): OtpSender | null {
  switch (policy.channel) {
    case "sms":
      return policy.smsInbox ? smsOtpSender(ctx, policy.smsInbox) : null;
    case "email":
      return emailOtpSender(ctx);
    case "demo_phone":
      return demoPhoneSender(ctx);
    case null:
      return null;
  }
}
