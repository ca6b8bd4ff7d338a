import { z } from "zod";
import chokidar, { type FSWatcher } from "chokidar";
import type { Module } from "../Module.ts";
import type { AppContext } from "../context.ts";
import { authorize, canManageKnowledge } from "../policies/adminPolicy.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import type { KnowledgeSearchResult } from "../../shared/wire/index.ts";

export const SYNC_JOB = "knowledge.sync";
const DEBOUNCE_MS = 400;

let watcher: FSWatcher | undefined;

/** Asks a worker to sync the knowledge folder; concurrent requests collapse into one job. */
export function requestSync(ctx: AppContext, reason: string): Promise<void> {
  return ctx.queue.enqueue(SYNC_JOB, { reason }, { jobId: SYNC_JOB });
}

/**
 * The knowledge base in the running server: synced at start, re-synced by a job
 * whenever a file in the folder changes (the watcher runs with the worker), and
 * searchable over the API.
 */
export const knowledgeModule: Module = {
  name: "knowledge",

  tasks(ctx) {
    ctx.queue.register(
      SYNC_JOB,
      async (data: { reason?: string }) => {
        const s = await ctx.knowledge.sync();
        ctx.logger.info({ reason: data?.reason, ...s, skipped: s.skipped.length }, "knowledge synced");
        for (const p of s.skipped) ctx.logger.warn({ path: p.path, line: p.line, problem: p.message }, "knowledge file skipped");
      },
      { attempts: 3, backoffMs: 1000 },
    );
  },

  async setup(ctx, services) {
    // The first process with a worker brings the index up to date before serving.
    if (services.has("worker")) {
      const s = await ctx.knowledge.sync();
      ctx.logger.info({ ...s, skipped: s.skipped.length }, "knowledge synced at start");
      for (const p of s.skipped) ctx.logger.warn({ path: p.path, line: p.line, problem: p.message }, "knowledge file skipped");
    }
  },

  async started(ctx, services) {
    if (!services.has("worker") || !ctx.config.KNOWLEDGE_WATCH) return;
    let timer: NodeJS.Timeout | undefined;
    watcher = chokidar.watch(ctx.knowledge.dir, { ignoreInitial: true, ignored: (p) => /(^|[/\\])\./.test(p.slice(ctx.knowledge.dir.length)) });
    watcher.on("all", (_event, file) => {
      if (!/\.(md|markdown|ya?ml)$/i.test(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void requestSync(ctx, "file change").catch((err) => ctx.logger.error({ err }, "could not queue knowledge sync")), DEBOUNCE_MS);
    });
    watcher.on("error", (err) => ctx.logger.warn({ err }, "knowledge watcher error"));
  },

  async stop() {
    await watcher?.close();
    watcher = undefined;
  },

  routes(api, ctx) {
    api.add({
      method: "get",
      path: "/knowledge/search",
      tag: "knowledge",
      summary: "Search the knowledge base (hybrid lexical + vector)",
      auth: "agent",
      query: z.object({
        q: z.string().trim().min(1, "q must not be empty").max(500),
        k: z.coerce.number().int().min(1).max(50).default(5),
        locale: z.string().max(10).optional(),
        product: z.string().max(100).optional(),
      }),
      handler: async ({ query }): Promise<KnowledgeSearchResult> => ({
        hits: (await ctx.knowledge.query(query.q, { k: query.k, locale: query.locale, product: query.product })).map(({ passageId: _p, ...h }) => h),
      }),
    });

    api.add({
      method: "post",
      path: "/knowledge/sync",
      tag: "knowledge",
      summary: "Queue a sync of the knowledge folder (content tools call this after publishing)",
      auth: "agent",
      status: 202,
      handler: async ({ actor, req }) => {
        authorize(canManageKnowledge(actor), "Only admins and content editors can sync the knowledge base");
        await requestSync(ctx, "api");
        await writeAudit(ctx.db, { actor, action: "knowledge.sync_requested", ip: req.ip });
        return { queued: true };
      },
    });
  },
};
