/** What changed in one field of an audited update. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** Dates as ISO strings, object keys sorted, so equal values compare equal. */
function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, normalise((v as Record<string, unknown>)[k])]),
    );
  }
  return v === undefined ? null : v;
}

/**
 * The fields of `after` whose value differs from `before`, as `{field: {from, to}}`
 * for the audit log. Callers pass only fields that may be recorded: secrets and
 * password hashes never go in.
 */
export function auditDiff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of Object.keys(after)) {
    const to = after[key];
    if (to === undefined) continue;
    const from = before[key];
    if (!same(from, to)) changes[key] = { from: normalise(from), to: normalise(to) };
  }
  return changes;
}
