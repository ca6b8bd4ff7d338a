import { Command, Option } from "commander";
import path from "node:path";
import { cliContext } from "../runtime.ts";
import { mapJsonLines } from "../jsonLines.ts";
import { progressLine, type ProgressLine } from "../progressLine.ts";
import type { SearchOptions } from "../../knowledge/KnowledgeSearch.ts";
import { loadConfig } from "../../config.ts";
import type { KnowledgeBase } from "../../knowledge/KnowledgeBase.ts";
import type { SyncSummary } from "../../knowledge/syncKnowledge.ts";

const knowledgeOption = () => new Option("--knowledge <dir>", "knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)");

export default function kbCommand(): Command {
  const kb = new Command("kb").description("The knowledge base: sync, lint, search");

  kb.command("sync")
    .description("Index the knowledge folder into the database (incremental)")
    .addOption(knowledgeOption())
    .action(async (opts: { knowledge?: string }) => {
      const ctx = await cliContext({}, opts.knowledge);
      try {
        const s = await syncWithProgress(ctx.knowledge);
        for (const p of s.skipped) process.stderr.write(`skipped ${p.path}${p.line ? `:${p.line}` : ""}: ${p.message}\n`);
        process.stdout.write(
          `Synced ${ctx.knowledge.dir}: ${s.added} added, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged, ${s.skipped.length} skipped; ${s.passages} passages${s.reembedded ? " (re-embedded)" : ""} in ${(s.ms / 1000).toFixed(1)} s\n`,
        );
      } finally {
        await ctx.close();
      }
    });

  kb.command("lint")
    .description("Check articles: front matter, empty articles, broken links, duplicate titles")
    .addOption(knowledgeOption())
    .action(async (opts: { knowledge?: string }) => {
      const dir = path.resolve(opts.knowledge ?? process.env.KNOWLEDGE_DIR ?? "./knowledge");
      // Imported here: every command, `start` too, registers this one, and the linter brings yaml (~8 MB).
      const { lintKnowledge } = await import("../../knowledge/lintKnowledge.ts");
      const { problems, articles } = lintKnowledge(dir);
      for (const p of problems) process.stdout.write(`${p.path}:${p.line}: ${p.message}\n`);
      process.stdout.write(`${articles} articles checked, ${problems.length} problem(s)\n`);
      if (problems.length) process.exitCode = 1;
    });

  kb.command("search")
    .description('Search; without a query, reads JSON lines {"text": ...} on stdin and prints {"text","hits"} per line')
    .argument("[query]", "the question")
    .addOption(knowledgeOption())
    .option("--json", "print JSON (always on for stdin mode)")
    .option("-k, --k <n>", "number of results", "5")
    .option("--locale <locale>", "only articles in this locale (en, zh, zh-CN, zh-TW)")
    .option("--product <product>", "only articles about this product")
    .addOption(new Option("--mode <mode>", "ranking").choices(["hybrid", "lexical", "dense"]).default("hybrid"))
    .option("--no-sync", "do not bring the index up to date first")
    .action(
      async (
        query: string | undefined,
        opts: {
          knowledge?: string;
          json?: boolean;
          k: string;
          locale?: string;
          product?: string;
          mode: SearchOptions["mode"];
          sync: boolean;
        },
      ) => {
        const k = Number(opts.k);
        if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error("--k must be a whole number from 1 to 100");
        if (query !== undefined && !query.trim()) throw new Error("the query is empty");
        const ctx = await cliContext({ LOG_LEVEL: "error" }, opts.knowledge);
        try {
          // Searching a folder means searching what it holds now.
          if (opts.sync) await syncWithProgress(ctx.knowledge);
          const search = async (text: string) =>
            (await ctx.knowledge.query(text, { k, locale: opts.locale, product: opts.product, mode: opts.mode })).map((h) => ({
              path: h.path,
              title: h.title,
              heading: h.heading,
              score: h.score,
              text: h.text,
            }));
          if (query !== undefined) {
            const hits = await search(query);
            if (opts.json) process.stdout.write(JSON.stringify(hits, null, 2) + "\n");
            else
              for (const h of hits)
                process.stdout.write(
                  `${h.score.toFixed(3)}  ${h.path}  ${h.heading}\n        ${h.text.slice(0, 160).replace(/\s+/g, " ")}\n`,
                );
          } else {
            await mapJsonLines(process.stdin, process.stdout, async (text) => ({ text, hits: await search(text) }));
          }
        } finally {
          await ctx.close();
        }
      },
    );
  kb.command("suggest-questions")
    .description(
      "Draft sample questions (front matter questions:) for sections that have none, with the configured language model; prints them for review, or adds them with --write",
    )
    .addOption(knowledgeOption())
    .option("--per-section <n>", "questions per section", (v) => Number.parseInt(v, 10), 5)
    .option("--all", "also sections that already have sample questions")
    .option("--write", "add them to the articles' front matter (review the diff before publishing)")
    .action(async (opts: { knowledge?: string; perSection: number; all?: boolean; write?: boolean }) => {
      if (!Number.isInteger(opts.perSection) || opts.perSection < 1 || opts.perSection > 20) {
        throw new Error("--per-section must be a whole number from 1 to 20");
      }
      // Imported here, not at the top: every `bankdesk` command loads this file.
      const [{ suggestSampleQuestions }, { sampleQuestionWriter }] = await Promise.all([
        import("../../commands/suggestSampleQuestions.ts"),
        import("../../assistant/generators/sampleQuestionWriter.ts"),
      ]);
      const config = loadConfig(process.env);
      const dir = path.resolve(opts.knowledge ?? config.KNOWLEDGE_DIR);
      const writer = sampleQuestionWriter(config);
      const progress = progressLine("Writing sample questions for sections");
      const r = await suggestSampleQuestions(dir, writer, {
        perSection: opts.perSection,
        all: opts.all,
        apply: opts.write,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      if (!opts.write) {
        let last = "";
        for (const s of r.suggested) {
          if (s.path !== last) process.stdout.write(`${last ? "\n" : ""}# ${s.path}\nquestions:\n`);
          last = s.path;
          process.stdout.write(`  ${s.anchor}:\n${s.questions.map((q) => `    - ${JSON.stringify(q)}\n`).join("")}`);
        }
      }
      for (const f of r.failed) process.stderr.write(`failed ${f.path}#${f.anchor}: ${f.error}\n`);
      const count = r.suggested.reduce((n, s) => n + s.questions.length, 0);
      process.stderr.write(
        `${count} questions for ${r.suggested.length} sections${opts.write ? `, added to ${r.written.length} articles` : " (not written: --write adds them)"}; ${r.failed.length} failed\n`,
      );
      if (r.failed.length) process.exitCode = 1;
    });

  return kb;
}

/** Sync with a progress line on a terminal; a changed embedder re-embeds every article, which is the long case. */
async function syncWithProgress(knowledge: KnowledgeBase): Promise<SyncSummary> {
  let progress: ProgressLine | undefined;
  try {
    return await knowledge.sync((done, total, reembedding) => {
      progress ??= progressLine(reembedding ? "Re-embedding articles" : "Syncing articles");
      progress.update(done, total);
    });
  } finally {
    progress?.finish();
  }
}
