import type { NpsFigures } from "../../shared/wire/index.ts";

/** 9–10 recommend us, 7–8 are indifferent, 0–6 would not (Reichheld's bands). */
export type NpsBand = "promoter" | "passive" | "detractor";

export function npsBand(score: number): NpsBand {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`Not an NPS answer: ${score}`);
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/**
 * The figures of a set of answers: the score is the share of promoters minus the
 * share of detractors, in points (−100 … 100), rounded to one decimal; null with no
 * answers (zero would read as "as many fans as critics").
 */
export function npsFigures(counts: { promoters: number; passives: number; detractors: number }): NpsFigures {
  const responses = counts.promoters + counts.passives + counts.detractors;
  return {
    responses,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    score: responses ? Math.round(((counts.promoters - counts.detractors) / responses) * 1000) / 10 : null,
  };
}

/** The figures of a list of scores (tests and small sets; reports count in SQL). */
export function npsOf(scores: number[]): NpsFigures {
  const counts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) counts[`${npsBand(s)}s`]++;
  return npsFigures(counts);
}

/**
 * A reply by e-mail, SMS or WhatsApp read as the answer to the survey: its first
 * non-empty line starts with a whole number from 0 to 10 ("9", "9/10", "10 - quick
 * and kind", "８"), the rest of the reply is the "why?". Anything else is not an
 * answer (undefined) and goes into the conversation as an ordinary message: "2 cards
 * were charged" is a new question, not a detractor, so a number must stand alone or be
 * followed by punctuation, "/10" or a line break.
 */
export function parseNpsReply(text: string): { score: number; comment: string | null } | undefined {
  // Full-width digits (Chinese keyboards) read as ASCII ones.
  const normal = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/\r\n?/g, "\n");
  const lines = normal.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return undefined;
  const m = /^\s*(10|[0-9])(?:\s*(?:\/|out of|分|之)\s*10)?\s*(?:分)?\s*(?:$|[.,;:!?。，；：！？)\-–—]\s*(.*)$)/i.exec(lines[first]!);
  if (!m) return undefined;
  const rest = [m[2] ?? "", ...lines.slice(first + 1)]
    .join("\n")
    // E-mail replies quote what they answer: the quoted part is ours, not the customer's reason.
    .split(/\n\s*(?:>|On .+ wrote:|-{2,}\s*Original Message|在.+写道)/)[0]!
    .trim();
  return { score: Number(m[1]), comment: rest ? rest.slice(0, 1000) : null };
}
