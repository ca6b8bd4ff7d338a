import type { Module } from "../Module.ts";
import { segmentRoutes } from "./segmentRoutes.ts";

/** Customer segments (issue #17 §3): saved filters on customers, in the conversation list and the reports' overview. */
export const segmentsModule: Module = {
  name: "segments",
  routes: segmentRoutes,
};
