/**
 * The demo bank's phone, drawn on the demo page beside the chat: the texts the demo
 * customers' registered numbers would receive (one-time codes for step-up), so a
 * visitor trying `npm start` can complete a step-up without a real SMS account.
 * In this process's memory only (the demo runs as one process), the last few per
 * customer for 15 minutes; never written to the database or the log. It receives
 * only while the demo is seeded (stepup/otpSenders.ts), for the demo customers.
 */
const KEEP_MS = 15 * 60_000;
const KEEP = 5;

export interface DemoText {
  to: string;
  text: string;
  at: Date;
}

const texts = new Map<string, DemoText[]>();

export const demoPhone = {
  receive(customerId: string, to: string, text: string, now = new Date()): void {
    const list = [...(texts.get(customerId) ?? []), { to, text, at: now }].slice(-KEEP);
    texts.set(customerId, list);
  },
  /** The customer's texts of the last 15 minutes, newest first. */
  texts(customerId: string, now = new Date()): DemoText[] {
    const fresh = (texts.get(customerId) ?? []).filter((t) => now.getTime() - t.at.getTime() < KEEP_MS);
    if (fresh.length) texts.set(customerId, fresh);
    else texts.delete(customerId);
    return [...fresh].reverse();
  },
};
