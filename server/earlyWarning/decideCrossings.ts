/** A metric's value for one subject (a complaint category, a question; '' when the metric has one value). */
export interface Measurement {
  subject: string;
  label: string;
  value: number;
  /** The conversations behind the value. */
  conversationIds: string[];
}

/**
 * What a check does with a threshold: raise an alert for each subject at or over it
 * that has no open alert, and recover each open alert whose subject fell below it
 * (or has no value any more). A subject already alerted raises nothing until it has
 * recovered: one alert per crossing. `measured` null means the metric cannot be
 * decided now (too few conversations for a share): nothing is raised or recovered.
 */
export function decideCrossings(
  threshold: number,
  measured: Measurement[] | null,
  open: Array<{ id: string; subject: string }>,
): { raise: Measurement[]; recover: string[] } {
  if (!measured) return { raise: [], recover: [] };
  const over = new Map(measured.filter((m) => m.value >= threshold).map((m) => [m.subject, m]));
  const alerted = new Set(open.map((a) => a.subject));
  return {
    raise: [...over.values()].filter((m) => !alerted.has(m.subject)),
    recover: open.filter((a) => !over.has(a.subject)).map((a) => a.id),
  };
}
