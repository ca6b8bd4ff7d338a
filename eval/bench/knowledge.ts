/**
 * Knowledge base performance (figures printed, no assertions):
 *
 * - sync of 1,000 generated Markdown articles into the embedded database (PGlite)
 *   with the default (hashing) embedder, then a re-sync with nothing changed;
 * - search latency (hybrid, p50/p95) on the demo knowledge base, embedded;
 * - with DATABASE_URL (PostgreSQL with pgvector): a scratch database with 100,000
 *   synthetic passages loaded in bulk, the HNSW index built after loading, dense
 *   search latency and HNSW recall@10 against exact search on 200 queries (and the
 *   hnsw.ef_search needed for recall >= 0.95), then hybrid search latency. The
 *   scratch database is dropped at the end.
 *
 *   npx tsx eval/bench/knowledge.ts            (or npm run bench knowledge)
 */
import { mulberry32 } from "../../server/assistant/intents/linear.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { toVector, type Database } from "../../server/db/Database.ts";
import { migrate } from "../../server/db/migrate.ts";
import { openPGlite } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { HashingEmbedder } from "../../server/knowledge/embedders/HashingEmbedder.ts";
import { KnowledgeBase } from "../../server/knowledge/KnowledgeBase.ts";
import { HNSW, createVectorIndexes, ensureIndexFor } from "../../server/knowledge/syncKnowledge.ts";
import { denseSql } from "../../server/knowledge/KnowledgeSearch.ts";
import { tokenize } from "../../server/knowledge/text.ts";
import { ROOT, percentile, readJsonl } from "../lib/data.ts";

// ---------------------------------------------------------------- synthetic text

const EN = {
  products: [
    "debit card",
    "credit card",
    "savings account",
    "current account",
    "time deposit",
    "mortgage",
    "personal loan",
    "car loan",
    "mobile banking",
    "online banking",
    "international transfer",
    "foreign exchange",
    "investment fund",
    "travel insurance",
    "overdraft",
    "standing order",
    "direct debit",
    "cheque book",
    "safe deposit box",
    "student account",
  ],
  actions: [
    "open",
    "close",
    "freeze",
    "unfreeze",
    "activate",
    "replace",
    "upgrade",
    "cancel",
    "renew",
    "repay",
    "top up",
    "link",
    "update",
    "reset the PIN for",
    "raise the limit of",
    "report a problem with",
    "dispute a payment on",
    "set up alerts for",
    "download statements for",
    "change the address on",
  ],
  channels: [
    "in the app",
    "at any branch",
    "on the hotline 400-820-5588",
    "in online banking",
    "at an ATM",
    "by secure message",
    "with a relationship manager",
  ],
  conditions: [
    "if you are over 18",
    "for residents and non-residents",
    "during the first year",
    "once the card has arrived",
    "unless you are abroad",
    "when the balance is below ¥2,000",
    "for transfers above ¥50,000",
    "within 30 days",
    "on working days only",
    "if you have a valid ID",
  ],
  facts: [
    "The fee is ¥{n} a month and is waived when your average balance is above ¥{m}.",
    "Processing normally takes {d} working days; we send an SMS when it is done.",
    "The daily limit is ¥{m}, and you can raise it to ¥{M} in the app after verifying your identity.",
    "Interest is {r}% a year, paid monthly and calculated on the daily balance.",
    "You need your ID card or passport, a mainland phone number and proof of address.",
    "Overseas use is charged {r}% of the amount plus ¥{n} per cash withdrawal.",
    "Late repayments are reported to the credit bureau after {d} days.",
    "A replacement costs ¥{n} and arrives by post within {d} working days.",
    "The offer applies to new customers who apply before the end of the quarter.",
    "Your PIN stays the same; the card number, expiry date and security code change.",
    "Never share verification codes: our staff will never ask for them.",
    "Early repayment is free after {d} months; before that a fee of {r}% applies.",
  ],
  headings: [
    "Who can apply",
    "Fees and limits",
    "How to apply",
    "Before you start",
    "What happens next",
    "If something goes wrong",
    "Frequently asked questions",
    "Using it abroad",
    "Security",
    "Closing or cancelling",
    "Interest and charges",
    "Documents you need",
  ],
  questions: [
    "how do i {a} my {p}",
    "what does it cost to {a} a {p}",
    "can i {a} my {p} {c}",
    "{p} limit per day",
    "is there a fee for {p} abroad",
    "how long does it take to {a} a {p}",
    "i want to {a} my {p} but it says error",
    "documents needed for {p}",
    "{p} interest rate",
    "lost my {p} what now",
  ],
};

const ZH = {
  products: [
    "借记卡",
    "信用卡",
    "储蓄账户",
    "定期存款",
    "房贷",
    "个人消费贷款",
    "车贷",
    "手机银行",
    "网上银行",
    "境外汇款",
    "外币兑换",
    "理财产品",
    "旅行保险",
    "代发工资",
    "自动还款",
    "大额存单",
    "零存整取",
    "保管箱",
    "学生账户",
    "电子账户",
  ],
  actions: [
    "开通",
    "注销",
    "冻结",
    "解冻",
    "激活",
    "补办",
    "升级",
    "取消",
    "续期",
    "还款",
    "充值",
    "绑定",
    "修改",
    "重置密码",
    "提高额度",
    "投诉",
    "申请退款",
    "开通短信提醒",
    "下载对账单",
    "变更地址",
  ],
  channels: ["在手机银行", "在任一网点", "拨打客服热线400-820-5588", "在网上银行", "在自助设备上", "通过在线客服", "联系客户经理"],
  facts: [
    "手续费为每月{n}元，日均余额达到{m}元可免收。",
    "一般{d}个工作日内办理完成，完成后会短信通知您。",
    "单日限额为{m}元，完成身份验证后可在App中提高到{M}元。",
    "年利率为{r}%，按日计息，按月付息。",
    "请携带本人身份证或护照、大陆手机号码和地址证明。",
    "境外使用按交易金额的{r}%收取，每笔取现另收{n}元。",
    "逾期超过{d}天将上报征信系统。",
    "补卡费用为{n}元，{d}个工作日内寄到。",
    "验证码切勿告诉他人，银行工作人员不会向您索要。",
    "满{d}个月后提前还款免收违约金，之前按{r}%收取。",
  ],
  headings: [
    "申请条件",
    "收费与限额",
    "办理方式",
    "办理前准备",
    "后续流程",
    "常见问题",
    "境外使用",
    "安全提示",
    "注销与取消",
    "利息与费用",
    "所需材料",
  ],
  questions: [
    "怎么{a}{p}",
    "{a}{p}要多少钱",
    "{p}每天限额多少",
    "{p}在国外能用吗",
    "{a}{p}需要多久",
    "{p}{a}失败怎么办",
    "办{p}需要什么材料",
    "{p}利率多少",
    "{p}丢了怎么办",
  ],
};

// Names of merchants, places and plans: real articles differ in such specifics.
const SYLLABLES =
  "ba be bi bo bu da de di do ka ke ki ko la le li lo lu ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi zo zu xin hao jia long feng hua".split(
    " ",
  );
const HANZI =
  "安百宝北昌长城大东方丰福广国海和恒华汇吉佳嘉江金锦京康乐利联隆民明南鹏平浦强庆瑞山上盛顺泰天通万祥新兴信阳永裕元运正中众州".split("");
function name(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let w = "";
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w[0]!.toUpperCase() + w.slice(1);
}
function zhName(r: () => number): string {
  return HANZI[Math.floor(r() * HANZI.length)]! + HANZI[Math.floor(r() * HANZI.length)]!;
}

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

function fill(r: () => number, s: string): string {
  return s
    .replace("{n}", String(5 + Math.floor(r() * 95)))
    .replace("{m}", (1000 * (1 + Math.floor(r() * 50))).toLocaleString("en-US"))
    .replace("{M}", (10000 * (5 + Math.floor(r() * 95))).toLocaleString("en-US"))
    .replace("{d}", String(1 + Math.floor(r() * 30)))
    .replace("{r}", (r() * 5).toFixed(2));
}

function enParagraph(r: () => number, product: string): string {
  const n = 2 + Math.floor(r() * 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.4) out.push(`You can ${pick(r, EN.actions)} your ${product} ${pick(r, EN.channels)} ${pick(r, EN.conditions)}.`);
    else if (x < 0.55)
      out.push(
        `At ${name(r)} ${pick(r, ["stores", "hotels", "stations", "clinics", "schools"])} in ${name(r)} the ${name(r)} plan gives ${1 + Math.floor(r() * 9)}% back.`,
      );
    else out.push(fill(r, pick(r, EN.facts)));
  }
  return out.join(" ");
}

function zhParagraph(r: () => number, product: string): string {
  const n = 2 + Math.floor(r() * 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.4) out.push(`您可以${pick(r, ZH.channels)}${pick(r, ZH.actions)}${product}。`);
    else if (x < 0.55)
      out.push(
        `在${zhName(r)}${pick(r, ["商场", "酒店", "车站", "医院", "学校"])}使用${zhName(r)}${pick(r, ["计划", "套餐", "活动"])}可享${1 + Math.floor(r() * 9)}%返现。`,
      );
    else out.push(fill(r, pick(r, ZH.facts)));
  }
  return out.join("");
}

/** A Markdown article with front matter: 3–7 sections of paragraphs, lists and the odd sub-section. */
function article(r: () => number, i: number): { file: string; body: string } {
  const zh = r() < 0.35;
  const locale = zh ? (r() < 0.2 ? "zh-TW" : "zh-CN") : "en";
  const L = zh ? ZH : EN;
  const product = pick(r, L.products);
  const title = zh
    ? `${product}${pick(r, ZH.headings)}（${i}）`
    : `${product[0]!.toUpperCase()}${product.slice(1)}: ${pick(r, EN.headings).toLowerCase()} (${i})`;
  const para = () => (zh ? zhParagraph(r, product) : enParagraph(r, product));
  const lines = [
    "---",
    `title: "${title}"`,
    `tags: [${[product, pick(r, L.products), zh ? "常见问题" : "faq"].join(", ")}]`,
    `locale: ${locale}`,
    "audience: retail",
    `product: ${product.replace(/\s+/g, "-")}`,
    `updated: 2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
    "---",
    "",
    para(),
    "",
  ];
  const sections = 3 + Math.floor(r() * 5);
  for (let s = 0; s < sections; s++) {
    lines.push(`## ${pick(r, L.headings)}`, "", para(), "");
    if (r() < 0.4) {
      for (let b = 0; b < 3; b++)
        lines.push(`- **${pick(r, L.actions)}:** ${zh ? zhParagraph(r, product).split("。")[0] + "。" : fill(r, pick(r, EN.facts))}`);
      lines.push("");
    }
    if (r() < 0.3) lines.push(`### ${pick(r, L.headings)}`, "", para(), "");
  }
  const dir = zh ? "zh" : pick(r, ["cards", "accounts", "loans", "deposits", "digital", "fees", "transfers"]);
  return { file: `${dir}/article-${i}${zh ? `.${locale}` : ""}.md`, body: lines.join("\n") };
}

function question(r: () => number): string {
  const zh = r() < 0.35;
  const L = zh ? ZH : EN;
  return pick(r, L.questions).replace("{a}", pick(r, L.actions)).replace("{p}", pick(r, L.products)).replace("{c}", pick(r, EN.channels));
}

/** Customer-style questions about the synthetic products, English and Chinese. */
export function sampleQuestions(n: number, seed = 11): string[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => question(r));
}

// ---------------------------------------------------------------- helpers

const ms = (t0: number) => performance.now() - t0;
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);

async function timeQueries(queries: string[], run: (q: string) => Promise<unknown>): Promise<{ p50: number; p95: number; mean: number }> {
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await run(q);
    times.push(ms(t0));
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), mean: times.reduce((s, t) => s + t, 0) / times.length };
}

// ---------------------------------------------------------------- embedded

async function benchSync(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-kb-bench-"));
  const r = mulberry32(42);
  let bytes = 0;
  for (let i = 0; i < 1000; i++) {
    const a = article(r, i);
    fs.mkdirSync(path.join(dir, path.dirname(a.file)), { recursive: true });
    fs.writeFileSync(path.join(dir, a.file), a.body);
    bytes += a.body.length;
  }
  const db = await openPGlite();
  try {
    await migrate(db);
    const kb = new KnowledgeBase(db, new HashingEmbedder(), dir);
    let t0 = performance.now();
    const first = await kb.sync();
    const syncMs = ms(t0);
    t0 = performance.now();
    const again = await kb.sync();
    const resyncMs = ms(t0);
    t0 = performance.now();
    await kb.query("how do i freeze my debit card", { k: 5 });
    const loadMs = ms(t0);
    console.log(
      `  sync of 1,000 generated articles (${(bytes / 1e6).toFixed(1)} MB, ${first.passages} passages, ${first.skipped.length} skipped): ${f1(syncMs / 1000)} s (target < 60 s)`,
    );
    console.log(`  re-sync, nothing changed (${again.unchanged} unchanged): ${f0(resyncMs)} ms (target < 3 s)`);
    console.log(`  first search after the sync (loads the lexical index): ${f0(loadMs)} ms`);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDemoSearch(): Promise<void> {
  const db = await openPGlite();
  try {
    await migrate(db);
    const kb = new KnowledgeBase(db, new HashingEmbedder(), path.join(ROOT, "knowledge"));
    const s = await kb.sync();
    const questions = [...readJsonl<{ text: string }>("retrieval-a.jsonl"), ...readJsonl<{ text: string }>("retrieval-b.jsonl")].map(
      (c) => c.text,
    );
    for (const q of questions.slice(0, 30)) await kb.query(q, { k: 5 }); // warm-up
    for (const mode of ["hybrid", "lexical", "dense"] as const) {
      const t = await timeQueries([...questions, ...questions], (q) => kb.query(q, { k: 5, mode }));
      console.log(
        `  ${mode.padEnd(7)} search, demo knowledge base (${s.passages} passages), ${questions.length * 2} questions: p50 ${f1(t.p50)} ms, p95 ${f1(t.p95)} ms${mode === "hybrid" ? " (target p95 < 30 ms)" : ""}`,
      );
    }
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- PostgreSQL

const PASSAGES = 100_000;
const PER_ARTICLE = 50;
const LOAD_BATCH = 1_000;

/** Loads `PASSAGES` synthetic passages (50 per article) with their tokens and hashing vectors, without the vector index. */
export async function loadSynthetic(db: Database, embedder: HashingEmbedder): Promise<{ loadMs: number; embedMs: number }> {
  await ensureIndexFor(db, embedder);
  const r = mulberry32(7);
  const t0 = performance.now();
  let embedMs = 0;
  const articles = PASSAGES / PER_ARTICLE;
  for (let a = 0; a < articles; a += LOAD_BATCH / PER_ARTICLE) {
    await db.transaction(async (tx) => {
      const paths: string[] = [];
      const titles: string[] = [];
      const locales: string[] = [];
      const products: string[] = [];
      for (let j = a; j < a + LOAD_BATCH / PER_ARTICLE; j++) {
        const zh = j % 3 === 0;
        const product = pick(r, zh ? ZH.products : EN.products);
        paths.push(`bench/${j}.md`);
        titles.push(zh ? `${product}常见问题（${j}）` : `${product} guide (${j})`);
        locales.push(zh ? "zh-CN" : "en");
        products.push(product);
      }
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO kb_articles (path, title, locale, tags, product, content_hash)
         SELECT p, t, l, ARRAY[pr], pr, md5(p) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(p, t, l, pr) RETURNING id`,
        [paths, titles, locales, products],
      );
      // Passages in one statement through unnest; tokens as space-joined text.
      const cols = {
        aid: [] as string[],
        ord: [] as number[],
        heading: [] as string[],
        text: [] as string[],
        tokens: [] as string[],
        emb: [] as string[],
        lang: [] as string[],
      };
      rows.forEach(({ id }, k) => {
        const zh = locales[k] === "zh-CN";
        for (let o = 0; o < PER_ARTICLE; o++) {
          const heading = `${titles[k]} › ${pick(r, zh ? ZH.headings : EN.headings)}`;
          const text = zh
            ? zhParagraph(r, products[k]!) + zhParagraph(r, products[k]!)
            : `${enParagraph(r, products[k]!)} ${enParagraph(r, products[k]!)}`;
          const e0 = performance.now();
          const v = embedder.embedOne(`${heading}\n${text}`);
          embedMs += ms(e0);
          cols.aid.push(id);
          cols.ord.push(o);
          cols.heading.push(heading);
          cols.text.push(text);
          cols.tokens.push(tokenize(`${heading}\n${text}`).join(" "));
          cols.emb.push(toVector(v));
          cols.lang.push(zh ? "zh" : "en");
        }
      });
      await tx.query(
        `INSERT INTO kb_passages (article_id, ordinal, heading, text, tokens, embedding, lang)
         SELECT aid, ord, h, t, string_to_array(tok, ' '), e::vector, lg
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(aid, ord, h, t, tok, e, lg)`,
        [cols.aid, cols.ord, cols.heading, cols.text, cols.tokens, cols.emb, cols.lang],
      );
    });
  }
  await db.query("UPDATE kb_index SET version = version + 1");
  return { loadMs: ms(t0), embedMs };
}

/** Builds the HNSW indexes as a sync does (or with other parameters); returns the time taken. */
export async function buildHnsw(db: Database, m: number = HNSW.m, efConstruction: number = HNSW.efConstruction): Promise<number> {
  const t0 = performance.now();
  await db.exec("SET maintenance_work_mem = '1GB'");
  await createVectorIndexes(db, { m, efConstruction });
  const t = ms(t0);
  await db.exec("ANALYZE kb_passages; ANALYZE kb_articles");
  return t;
}

/**
 * Dense top-10 latency and recall@10 of the HNSW index against exact search
 * (sequential scan) for increasing hnsw.ef_search; stops once recall >= 0.99.
 */
export async function measureDense(db: Database, vectors: Float32Array[], efs = [40, 64, 100, 200, 400]): Promise<number | undefined> {
  // The query search runs (one branch per language index), as distances.
  const { rows: langs } = await db.query<{ lang: string }>("SELECT DISTINCT lang FROM kb_passages");
  const sql = `SELECT id, 1 - similarity AS d FROM (${denseSql(
    langs.map((l) => l.lang),
    [],
    "10",
  )}) r ORDER BY d`;
  const exact: Array<Array<{ id: string; d: number }>> = [];
  const t = performance.now();
  await db.transaction(async (tx) => {
    await tx.query("SET LOCAL enable_indexscan = off");
    for (const v of vectors) exact.push((await tx.query<{ id: string; d: number }>(sql, [toVector(v)])).rows);
  });
  console.log(`  exact dense search (sequential scan) for reference: ${f0(ms(t) / vectors.length)} ms a query`);
  let chosen: number | undefined;
  for (const ef of efs) {
    let recall = 0;
    const times: number[] = [];
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      for (let i = 0; i < vectors.length; i++) {
        const t = performance.now();
        const got = (await tx.query<{ id: string; d: number }>(sql, [toVector(vectors[i]!)])).rows;
        times.push(ms(t));
        // A result at the distance of the 10th exact one is as good as it (ties count).
        const want = exact[i]!;
        const kth = want.at(-1)?.d ?? Infinity;
        recall += got.filter((g) => g.d <= kth + 1e-9).length / Math.max(1, want.length);
      }
    });
    recall /= vectors.length;
    console.log(
      `  dense search, top 10, HNSW, hnsw.ef_search = ${ef}${ef === 40 ? " (default)" : ""}: p50 ${f1(percentile(times, 50))} ms, p95 ${f1(percentile(times, 95))} ms (target < 25 ms); recall@10 vs exact ${recall.toFixed(3)} (target >= 0.95)`,
    );
    if (recall >= 0.95 && chosen === undefined) chosen = ef;
    if (recall >= 0.99) break;
  }
  console.log(`  smallest hnsw.ef_search with recall@10 >= 0.95: ${chosen ?? `none up to ${efs.at(-1)}`}`);
  return chosen;
}

/** Creates a scratch database on the server of `url`, runs `fn` on it, drops it. */
async function withScratchDatabase(url: string, fn: (db: Database) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `bankdesk_kb_bench_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  let db: Database | undefined;
  try {
    db = await openPostgres(u.toString(), 4);
    await migrate(db);
    await fn(db);
  } finally {
    await db?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchPostgres(url: string): Promise<void> {
  await withScratchDatabase(url, async (db) => {
    const embedder = new HashingEmbedder();
    const { loadMs, embedMs } = await loadSynthetic(db, embedder);
    const indexMs = await buildHnsw(db);
    console.log(
      `  PostgreSQL: loaded ${PASSAGES.toLocaleString("en-US")} synthetic passages in ${f1(loadMs / 1000)} s (embedding ${f1(embedMs / 1000)} s of it); HNSW indexes (one per language) as a sync builds them (m ${HNSW.m}, ef_construction ${HNSW.efConstruction}) in ${f1(indexMs / 1000)} s`,
    );
    const queries = sampleQuestions(200);
    await measureDense(db, await embedder.embed(queries, "query"));

    // Hybrid search through KnowledgeSearch (default settings), lexical index loaded once.
    const kb = new KnowledgeBase(db, embedder, "/nonexistent");
    const t0 = performance.now();
    await kb.query(queries[0]!, { k: 5 });
    const lexLoad = ms(t0);
    for (const q of queries.slice(0, 20)) await kb.query(q, { k: 5 });
    const hybrid = await timeQueries(queries, (q) => kb.query(q, { k: 5 }));
    const lexical = await timeQueries(queries, (q) => kb.query(q, { k: 5, mode: "lexical" }));
    const mem = process.memoryUsage();
    console.log(
      `  hybrid search over ${PASSAGES.toLocaleString("en-US")} passages: p50 ${f1(hybrid.p50)} ms, p95 ${f1(hybrid.p95)} ms (lexical alone p50 ${f1(lexical.p50)} ms, p95 ${f1(lexical.p95)} ms); first search loads the lexical index in ${f1(lexLoad / 1000)} s; heap ${f0(mem.heapUsed / 1e6)} MB`,
    );
  });
}

export async function runKnowledgeBench(): Promise<void> {
  console.log("Knowledge base (offline hashing embedder)");
  await benchSync();
  await benchDemoSearch();
  if (process.env.DATABASE_URL) await benchPostgres(process.env.DATABASE_URL);
  else console.log("  (set DATABASE_URL to a PostgreSQL server with pgvector for the 100,000-passage figures)");
}

if (import.meta.url === `file://${process.argv[1]}`) await runKnowledgeBench();
