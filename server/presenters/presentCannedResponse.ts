import type { CannedResponse } from "../../shared/wire/index.ts";
import type { Presented } from "./Presented.ts";
import type { CannedResponseRow } from "../models/cannedResponses.ts";

export function presentCannedResponse(r: CannedResponseRow): Presented<CannedResponse> {
  return { id: r.id, shortCode: r.short_code, content: r.content, createdAt: r.created_at, updatedAt: r.updated_at };
}
