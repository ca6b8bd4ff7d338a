import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const EVAL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(EVAL_DIR, "..");

/** Reads a JSON-lines file of eval/data (or any path). */
export function readJsonl<T>(file: string): T[] {
  const abs = path.isAbsolute(file) ? file : path.join(EVAL_DIR, "data", file);
  return fs
    .readFileSync(abs, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
