import type { Module } from "../Module.ts";
import { customToolRoutes } from "./customToolRoutes.ts";
import { resealToolSecret } from "./customToolStore.ts";
import { sealedColumn } from "../commands/resealSecrets.ts";

/**
 * The bank's own tools (issue #16 §2): admins define HTTP calls the assistant makes
 * for customers. The routes live here; the assistant reads the enabled tools through
 * customToolStore.enabledTools and calls them with callCustomTool.
 */
export const customToolsModule: Module = {
  name: "customTools",
  routes: customToolRoutes,
  // The credentials, one per version.
  sealedSecrets: [
    sealedColumn({
      table: "custom_tool_versions",
      keys: ["tool_id", "version"],
      column: "auth_secret",
      where: (r) => `custom tool ${String(r.tool_id)} v${String(r.version)}: secret`,
      reseal: resealToolSecret,
    }),
  ],
};
