import { CalendarCoverageError } from "./businessCalendar.ts";
import { caseDeadlines, type JurisdictionPolicy, type Limit } from "./jurisdictions.ts";

export interface CaseClock {
  acknowledgeDueAt: Date | null;
  dueAt: Date;
  dueDate: string;
  /**
   * Set when the business calendar does not cover the deadline's year (the State
   * Council has not published next year's 调休 yet, say): the clock then counts the
   * same number of calendar days, which ends no later than the working-day deadline
   * could (every working day is a calendar day), so the promise made to the customer
   * is one the bank can keep. The case's timeline says so, with the calendar's error,
   * and it is logged: the holiday data needs updating.
   */
  provisional?: string;
}

/** The deadlines of a case received at `receivedAt` after `extensions` extensions. */
export function computeCaseClock(policy: JurisdictionPolicy, receivedAt: Date, extensions = 0): CaseClock {
  try {
    return caseDeadlines(policy, receivedAt, extensions);
  } catch (err) {
    if (!(err instanceof CalendarCoverageError)) throw err;
    const asCalendar = (l: Limit | null): Limit | null => (l ? { days: l.days, unit: "calendar" } : null);
    const fallback: JurisdictionPolicy = {
      ...policy,
      acknowledge: asCalendar(policy.acknowledge),
      finalResponse: asCalendar(policy.finalResponse)!,
      extensions: policy.extensions.map((l) => asCalendar(l)!),
    };
    return { ...caseDeadlines(fallback, receivedAt, extensions), provisional: err.message };
  }
}
