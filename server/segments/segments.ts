import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import { AppError, notFound } from "../errors.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { auditDiff } from "../admin/auditDiff.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { Segment } from "../../shared/wire/index.ts";
import { segmentCondition, segmentCriteriaSchema, type SegmentCriteria } from "./segmentCriteria.ts";

/** segments (migration 045). */
export interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  criteria: SegmentCriteria;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const segmentInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the segment a name").max(80),
    description: z.string().trim().max(500).nullable().default(null),
    criteria: segmentCriteriaSchema,
  })
  .strict();
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export const segmentChangeSchema = z
  .object({
    name: segmentInputSchema.shape.name.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    criteria: segmentCriteriaSchema.optional(),
  })
  .strict();
export type SegmentChange = z.infer<typeof segmentChangeSchema>;

export async function findSegment(db: Queryable, id: string): Promise<SegmentRow | undefined> {
  return (await db.query<SegmentRow>("SELECT * FROM segments WHERE id = $1", [id])).rows[0];
}

/** A segment's criteria, for a filter; not found when it does not exist (a stale link). */
export async function segmentCriteria(db: Queryable, id: string): Promise<SegmentCriteria> {
  const s = await findSegment(db, id);
  if (!s) throw notFound("Segment");
  return s.criteria;
}

/** Every segment with how many customers are in it now (contacts merged away are counted in their survivor). */
export async function listSegments(db: Queryable): Promise<Segment[]> {
  const { rows } = await db.query<SegmentRow>("SELECT * FROM segments ORDER BY lower(name)");
  return Promise.all(
    rows.map(async (s) => {
      const params: unknown[] = [];
      const where = segmentCondition(s.criteria, "ct.id", (v) => (params.push(v), `$${params.length}`));
      const n = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM contacts ct WHERE ct.merged_into IS NULL AND ${where}`,
        params,
      );
      return presentSegment(s, n.rows[0]!.n);
    }),
  );
}

/**
 * Which of the given segments a customer is in now (a segment deleted since is in none):
 * one query per segment, each an EXISTS on the contact's indexed rows.
 */
export async function segmentsOfContact(db: Queryable, contactId: string, segmentIds: string[]): Promise<string[]> {
  if (!segmentIds.length) return [];
  const { rows } = await db.query<SegmentRow>("SELECT * FROM segments WHERE id = ANY($1::uuid[])", [segmentIds]);
  const inside: string[] = [];
  for (const s of rows) {
    const params: unknown[] = [contactId];
    const where = segmentCondition(s.criteria, "$1::uuid", (v) => (params.push(v), `$${params.length}`));
    const hit = await db.query<{ inside: boolean }>(`SELECT ${where} AS inside`, params);
    if (hit.rows[0]!.inside) inside.push(s.id);
  }
  return inside;
}

/** The segments a customer is in now, by name (their profile shows them). */
export async function customerSegments(db: Queryable, contactId: string): Promise<Array<{ id: string; name: string }>> {
  const { rows } = await db.query<{ id: string; name: string }>("SELECT id, name FROM segments ORDER BY lower(name)");
  const inside = new Set(
    await segmentsOfContact(
      db,
      contactId,
      rows.map((r) => r.id),
    ),
  );
  return rows.filter((r) => inside.has(r.id));
}

export function presentSegment(s: SegmentRow, contacts: number): Segment {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    criteria: s.criteria,
    contacts,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
  };
}

const nameTaken = () => new AppError("conflict", "A segment of that name exists", [{ path: "name", message: "Already used" }]);
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "23505";

/** Saves a segment (admins; audited). */
export async function createSegment(ctx: AppContext, props: { actor: Actor; input: SegmentInput; ip?: string }): Promise<SegmentRow> {
  authorize(canAdminister(props.actor));
  const p = props.input;
  try {
    return await ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<SegmentRow>(
        "INSERT INTO segments (name, description, criteria, created_by) VALUES ($1, $2, $3, $4) RETURNING *",
        [p.name, p.description, JSON.stringify(p.criteria), props.actor.type === "agent" ? props.actor.id : null],
      );
      await writeAudit(tx, {
        actor: props.actor,
        action: "segment.create",
        targetType: "segment",
        targetId: rows[0]!.id,
        data: { ...p },
        ip: props.ip,
      });
      return rows[0]!;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? nameTaken() : err;
  }
}

/** Changes a segment (admins; audited as a diff). */
export async function updateSegment(
  ctx: AppContext,
  props: { actor: Actor; id: string; change: SegmentChange; ip?: string },
): Promise<SegmentRow> {
  authorize(canAdminister(props.actor));
  try {
    return await ctx.db.transaction(async (tx) => {
      const before = (await tx.query<SegmentRow>("SELECT * FROM segments WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
      if (!before) throw notFound("Segment");
      const current = { name: before.name, description: before.description, criteria: before.criteria };
      const next = { ...current, ...Object.fromEntries(Object.entries(props.change).filter(([, v]) => v !== undefined)) };
      const changes = auditDiff(current, next);
      if (Object.keys(changes).length === 0) return before;
      const { rows } = await tx.query<SegmentRow>(
        "UPDATE segments SET name = $2, description = $3, criteria = $4, updated_at = now() WHERE id = $1 RETURNING *",
        [before.id, next.name, next.description, JSON.stringify(next.criteria)],
      );
      await writeAudit(tx, {
        actor: props.actor,
        action: "segment.update",
        targetType: "segment",
        targetId: before.id,
        data: { changes },
        ip: props.ip,
      });
      return rows[0]!;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? nameTaken() : err;
  }
}

/** Deletes a segment (admins; audited with what it was). */
export async function deleteSegment(ctx: AppContext, props: { actor: Actor; id: string; ip?: string }): Promise<void> {
  authorize(canAdminister(props.actor));
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<SegmentRow>("DELETE FROM segments WHERE id = $1 RETURNING *", [props.id]);
    if (!rows[0]) throw notFound("Segment");
    await writeAudit(tx, {
      actor: props.actor,
      action: "segment.delete",
      targetType: "segment",
      targetId: props.id,
      data: { name: rows[0].name, description: rows[0].description, criteria: rows[0].criteria },
      ip: props.ip,
    });
  });
}
