import type { CustomTool } from "../../shared/wire/index.ts";
import type { Presented } from "../presenters/Presented.ts";
import type { StoredCustomTool } from "./customToolStore.ts";

/** A tool version for admins: the definition as written, whether a secret is stored (never the secret). */
export function presentCustomTool(t: StoredCustomTool): Presented<CustomTool> {
  return {
    id: t.id,
    name: t.name,
    version: t.version,
    enabled: t.enabled,
    definition: t.definition,
    secretStored: Boolean(t.authSecret),
    createdBy: t.createdBy,
    createdAt: t.createdAt,
  };
}
