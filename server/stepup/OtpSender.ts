import type { StepUpChannel } from "../../shared/wire/index.ts";

/** One one-time code on its way to the customer. */
export interface OtpMessage {
  /** E.164 phone number (sms, demo_phone) or e-mail address (email), from the bank's records. */
  to: string;
  /** The code itself: only ever in `text`/`subject`, never logged or stored. */
  text: string;
  subject: string;
  /** The bank's customer id (the demo phone files texts under it). */
  customerId: string;
}

/**
 * Sends one-time codes. Implementations: SMS through the provider account of one of
 * the bank's SMS inboxes (smsOtpSender), e-mail through our SMTP mailer
 * (emailOtpSender), and the demo bank's on-screen phone (demo/demoPhone.ts). A bank
 * with an OTP service of its own adds one here. Failures throw OtpSendError.
 */
export interface OtpSender {
  readonly channel: StepUpChannel;
  /** Which of the customer's contact details it sends to. */
  readonly via: "phone" | "email";
  send(message: OtpMessage): Promise<void>;
}

/** A code that could not be sent; `message` never contains the code or the destination. */
export class OtpSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OtpSendError";
  }
}
