/**
 * The reply of a custom tool: its template with `{{field.path}}` placeholders filled
 * from the JSON the bank's API answered. Deliberately not a template language: no
 * expressions, helpers, partials or loops, nothing that runs; one pass, so a value
 * that contains "{{…}}" is printed as it is, never read as another placeholder.
 */

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A value longer than this is an API answering something other than a field. */
const MAX_VALUE_CHARS = 500;

export class TemplateFieldMissing extends Error {
  constructor(readonly field: string) {
    super(`The response has no value at "${field}"`);
    this.name = "TemplateFieldMissing";
  }
}

/** The value at a dotted path (`delivery.status`, `items.0.name`) of a JSON value. */
export function valueAt(data: unknown, path: string): unknown {
  let here: unknown = data;
  for (const key of path.split(".")) {
    if (here === null || typeof here !== "object") return undefined;
    // Own properties only: `constructor`, `__proto__` are not fields of a response.
    if (!Object.prototype.hasOwnProperty.call(here, key)) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/**
 * Fills the template. A placeholder without a printable value (missing, null, an object)
 * is an error, not a blank: a reply that leaves out the delivery date would mislead.
 */
export function renderReply(template: string, data: unknown): string {
  return template.replace(TAG, (_m, path: string) => {
    const v = valueAt(data, path);
    if (typeof v === "string") return v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v;
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    if (typeof v === "boolean") return String(v);
    throw new TemplateFieldMissing(path);
  });
}
