import type { AppContext } from "../../context.ts";
import type { Actor } from "../../actor.ts";
import { AppError, notFound } from "../../errors.ts";
import { authorize } from "../../policies/adminPolicy.ts";
import { auditDiff } from "../../admin/auditDiff.ts";
import { writeAudit } from "../../audit/writeAudit.ts";
import { canEditTaxonomy } from "../casePolicy.ts";
import type { TaxonomyRow } from "../types.ts";

export interface TaxonomyInput {
  kind: "category" | "product";
  code: string;
  nameEn: string;
  nameZh: string;
  position?: number;
}

/** Adds a complaint category or product to the taxonomy (admins). */
export async function createTaxonomyEntry(
  ctx: AppContext,
  props: { actor: Actor; entry: TaxonomyInput; ip?: string },
): Promise<TaxonomyRow> {
  authorize(canEditTaxonomy(props.actor));
  const e = props.entry;
  return ctx.db.transaction(async (tx) => {
    const taken = await tx.query("SELECT 1 FROM case_taxonomy WHERE kind = $1 AND code = $2", [e.kind, e.code]);
    if (taken.rowCount > 0)
      throw new AppError("conflict", `The ${e.kind} "${e.code}" exists already`, [{ path: "code", message: "Already exists" }]);
    const { rows } = await tx.query<TaxonomyRow>(
      "INSERT INTO case_taxonomy (kind, code, name_en, name_zh, position) VALUES ($1, $2, $3, $4, $5) RETURNING *",
      [e.kind, e.code, e.nameEn.trim(), e.nameZh.trim(), e.position ?? 500],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "case_taxonomy.create",
      targetType: "case_taxonomy",
      targetId: rows[0]!.id,
      data: { ...e },
      ip: props.ip,
    });
    return rows[0]!;
  });
}

/**
 * Renames, reorders, retires or restores an entry. Entries are retired, never deleted:
 * the cases filed under one keep it, and the reports keep counting them.
 */
export async function updateTaxonomyEntry(
  ctx: AppContext,
  props: { actor: Actor; id: string; nameEn?: string; nameZh?: string; position?: number; active?: boolean; ip?: string },
): Promise<TaxonomyRow> {
  authorize(canEditTaxonomy(props.actor));
  return ctx.db.transaction(async (tx) => {
    const before = (await tx.query<TaxonomyRow>("SELECT * FROM case_taxonomy WHERE id = $1 FOR UPDATE", [props.id])).rows[0];
    if (!before) throw notFound("Taxonomy entry");
    const next = {
      nameEn: props.nameEn?.trim() ?? before.name_en,
      nameZh: props.nameZh?.trim() ?? before.name_zh,
      position: props.position ?? before.position,
      active: props.active ?? before.active,
    };
    const changes = auditDiff({ nameEn: before.name_en, nameZh: before.name_zh, position: before.position, active: before.active }, next);
    if (Object.keys(changes).length === 0) return before;
    const { rows } = await tx.query<TaxonomyRow>(
      "UPDATE case_taxonomy SET name_en = $2, name_zh = $3, position = $4, active = $5, updated_at = now() WHERE id = $1 RETURNING *",
      [before.id, next.nameEn, next.nameZh, next.position, next.active],
    );
    await writeAudit(tx, {
      actor: props.actor,
      action: "case_taxonomy.update",
      targetType: "case_taxonomy",
      targetId: before.id,
      data: { changes },
      ip: props.ip,
    });
    return rows[0]!;
  });
}
