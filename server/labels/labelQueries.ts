import type { Queryable } from "../db/Database.ts";
import type { LabelRow } from "../models/labels.ts";

/** The label vocabulary, by name. */
export async function listLabels(db: Queryable): Promise<LabelRow[]> {
  const { rows } = await db.query<LabelRow>("SELECT * FROM labels ORDER BY name");
  return rows;
}

/** The labels, by name, each with how many conversations carry it. */
export async function listLabelsWithUsage(db: Queryable): Promise<Array<LabelRow & { conversations: number }>> {
  const { rows } = await db.query<LabelRow & { conversations: number }>(
    "SELECT l.*, (SELECT count(*)::int FROM conversations c WHERE l.name = ANY(c.labels)) AS conversations FROM labels l ORDER BY l.name",
  );
  return rows;
}
