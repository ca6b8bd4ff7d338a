import type { Queryable } from "../db/Database.ts";
import type { CannedResponseRow } from "../models/cannedResponses.ts";

/** Every canned response, by short code. */
export async function listCannedResponses(db: Queryable): Promise<CannedResponseRow[]> {
  const { rows } = await db.query<CannedResponseRow>("SELECT * FROM canned_responses ORDER BY short_code");
  return rows;
}

/** Short codes and texts only, by short code: what the composer expands. */
export async function listCannedResponseShortcuts(db: Queryable): Promise<Array<Pick<CannedResponseRow, "short_code" | "content">>> {
  const { rows } = await db.query<Pick<CannedResponseRow, "short_code" | "content">>(
    "SELECT short_code, content FROM canned_responses ORDER BY short_code",
  );
  return rows;
}
