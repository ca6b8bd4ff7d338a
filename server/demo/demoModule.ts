import type { Module } from "../Module.ts";
import { seedDemo } from "./seedDemo.ts";
import { demoRoutes } from "./demoRoutes.ts";

/** Seeds the demo bank on a new database when DEMO_SEED is on (default for the embedded database). */
export const demoModule: Module = {
  name: "demo",
  routes: demoRoutes,
  async setup(ctx, services) {
    if (!ctx.config.DEMO_SEED || !services.has("web")) return;
    const seeded = await seedDemo(ctx);
    if (seeded) process.stdout.write(`Demo admin: ${seeded.adminEmail} password: ${seeded.adminPassword}\n`);
  },
};
