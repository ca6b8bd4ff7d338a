export function expandQuery(_q: string, _w: { same: number; cross: number }): Map<string, number> {
  return new Map();
}
