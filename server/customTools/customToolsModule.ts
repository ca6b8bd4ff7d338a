import type { Module } from "../Module.ts";
import { customToolRoutes } from "./customToolRoutes.ts";

/**
 * The bank's own tools (issue #16 §2): admins define HTTP calls the assistant makes
 * for customers. The routes live here; the assistant reads the enabled tools through
 * customToolStore.enabledTools and calls them with callCustomTool.
 */
export const customToolsModule: Module = {
  name: "customTools",
  routes: customToolRoutes,
};
