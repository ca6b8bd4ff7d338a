import type { CannedResponse } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";

export interface CannedResponseRow {
  id: string;
  short_code: string;
  content: string;
  created_at: Date;
  updated_at: Date;
}

export function presentCannedResponse(r: CannedResponseRow): Presented<CannedResponse> {
  return { id: r.id, shortCode: r.short_code, content: r.content, createdAt: r.created_at, updatedAt: r.updated_at };
}
