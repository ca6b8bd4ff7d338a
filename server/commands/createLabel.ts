import type { AppContext } from "../context.ts";
import type { Actor } from "../actor.ts";
import type { Queryable } from "../db/Database.ts";
import type { LabelRow } from "../models/labels.ts";
import { authorize, canAdminister } from "../policies/adminPolicy.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/writeAudit.ts";

/**
 * Letters (any script), digits, - and _; stored lower-cased with spaces as dashes,
 * the way the console tags conversations ("Fraud case" → "fraud-case").
 */
const LABEL_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,49}$/u;
const COLOUR = /^#[0-9a-f]{6}$/;

export interface LabelInput {
  name?: string;
  colour?: string;
  description?: string;
}

/** Normalises and checks a label's fields; `exceptId` is the label being edited. */
export async function checkLabel(db: Queryable, input: LabelInput, exceptId?: string): Promise<LabelInput> {
  const out: LabelInput = {};
  if (input.name !== undefined) {
    const name = input.name.trim().toLowerCase().replace(/\s+/g, "-");
    if (!LABEL_NAME.test(name))
      throw new AppError("validation_error", "A label name is 1–50 letters, digits, - or _", [
        { path: "name", message: "Use 1–50 letters, digits, - or _ (spaces become dashes)" },
      ]);
    const taken = await db.query("SELECT 1 FROM labels WHERE name = $1 AND id <> $2", [
      name,
      exceptId ?? "00000000-0000-0000-0000-000000000000",
    ]);
    if (taken.rowCount > 0)
      throw new AppError("conflict", `The label "${name}" already exists`, [{ path: "name", message: "Already exists" }]);
    out.name = name;
  }
  if (input.colour !== undefined) {
    const colour = input.colour.trim().toLowerCase();
    if (!COLOUR.test(colour))
      throw new AppError("validation_error", "A colour is #rrggbb", [{ path: "colour", message: "Use a colour such as #1f4fd8" }]);
    out.colour = colour;
  }
  if (input.description !== undefined) {
    const description = input.description.trim();
    if (description.length > 200)
      throw new AppError("validation_error", "Keep the description under 200 characters", [
        { path: "description", message: "At most 200 characters" },
      ]);
    out.description = description;
  }
  return out;
}

/** Adds a label to the vocabulary agents tag conversations with. */
export async function createLabel(
  ctx: AppContext,
  props: { actor: Actor; name: string; colour?: string; description?: string; ip?: string },
): Promise<LabelRow> {
  authorize(canAdminister(props.actor));
  return ctx.db.transaction(async (tx) => {
    const l = await checkLabel(tx, { name: props.name, colour: props.colour ?? "#667085", description: props.description ?? "" });
    const { rows } = await tx.query<LabelRow>("INSERT INTO labels (name, colour, description) VALUES ($1, $2, $3) RETURNING *", [
      l.name,
      l.colour,
      l.description,
    ]);
    await writeAudit(tx, {
      actor: props.actor,
      action: "label.create",
      targetType: "label",
      targetId: rows[0]!.id,
      data: l as Record<string, unknown>,
      ip: props.ip,
    });
    return rows[0]!;
  });
}
