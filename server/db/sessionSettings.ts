/**
 * Settings every database session starts with (PostgreSQL: in the connection's
 * startup packet; PGlite: once, on its one session), so that no query needs a
 * transaction just to `SET LOCAL` them: that was three extra round trips on every
 * knowledge search (eval/bench/load.ts).
 */
export const SESSION_SETTINGS: Record<string, string> = {
  // An HNSW scan returns at most hnsw.ef_search rows (pgvector's default is 40):
  // knowledge search asks for 50 candidates, and 100 also lifts recall@10 to 0.99
  // over 100,000 passages (eval/bench/knowledge.ts). Set before pgvector loads, the
  // value waits as a placeholder and applies when it does.
  "hnsw.ef_search": "100",
};

/** The settings (and `extra` ones) as `options` for a PostgreSQL connection string, after any the URL already has. */
export function withSessionSettings(connectionString: string, extra: Record<string, string> = {}): string {
  const url = new URL(connectionString);
  const own = Object.entries({ ...SESSION_SETTINGS, ...extra }).map(([k, v]) => `-c ${k}=${v}`);
  url.searchParams.set("options", [url.searchParams.get("options"), ...own].filter(Boolean).join(" "));
  return url.toString();
}

/** The settings as SQL, for a session opened otherwise (PGlite). */
export function sessionSettingsSql(): string {
  return Object.entries(SESSION_SETTINGS)
    .map(([k, v]) => `SET ${k} = '${v}';`)
    .join("\n");
}
