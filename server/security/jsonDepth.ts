/**
 * Deepest nesting of arrays and objects in a JSON text, scanned without parsing
 * (strings skipped). Found by a hostile tester: a 6,000-deep body overflowed the
 * stack in validation and was answered 500; bodies deeper than MAX_JSON_DEPTH are
 * refused before they are parsed.
 */
export const MAX_JSON_DEPTH = 64;

export function jsonDepth(buf: Uint8Array): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** For express.json's `verify`: refuses a body nested deeper than MAX_JSON_DEPTH (400). */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepth(buf) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`), { type: "entity.too.deep" });
  }
}
