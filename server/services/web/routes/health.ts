import type { Express } from "express";
import type { AppContext } from "../../../context.ts";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** /healthz: the process answers. /readyz: its dependencies answer too (503 otherwise). */
export function healthRoutes(app: Express, ctx: AppContext, extraChecks: ReadinessCheck[]) {
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const checks: Array<ReadinessCheck> = [{ name: "database", check: () => ctx.db.ping() }, ...extraChecks];
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          return [c.name, "ok"] as const;
        } catch (err) {
          return [c.name, `error: ${(err as Error).message}`] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r === "ok");
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks: Object.fromEntries(results) });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
