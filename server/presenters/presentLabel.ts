import type { Label } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";
import type { LabelRow } from "../models/labels.ts";

export function presentLabel(l: LabelRow & { conversations?: number }): Presented<Label> {
  return {
    id: l.id,
    name: l.name,
    colour: l.colour,
    description: l.description,
    ...(l.conversations !== undefined ? { conversations: Number(l.conversations) } : {}),
    createdAt: l.created_at,
    updatedAt: l.updated_at,
  };
}
