import type { Module } from "../Module.ts";
import { contactRoutes } from "./contactRoutes.ts";

/** One customer across channels (issue #17 §3): the vulnerability flag, and merging contacts by hand. */
export const contactsModule: Module = {
  name: "contacts",
  routes: contactRoutes,
};
