import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../../server/config.ts";
import { startApp, type App } from "../../server/app.ts";
import { createLogger } from "../../server/logger.ts";
import type { Database } from "../../server/db/Database.ts";
import { openPGlite } from "../../server/db/pglite.ts";
import { openPostgres } from "../../server/db/postgres.ts";
import { migrate } from "../../server/db/migrate.ts";
import { createAgent } from "../../server/commands/createAgent.ts";
import { SYSTEM } from "../../server/actor.ts";
import { mulberry32 } from "../../server/assistant/intents/linear.ts";

/**
 * The agent console's server side at scale: 10,000 conversations and 200,000
 * messages (bulk-inserted from a seeded PRNG, so every run has the same data),
 * then the inbox list API (views and filters), message search (English and
 * Chinese) and the 30-day reports summary, through HTTP as the console calls them.
 * Targets (issue #6): list p95 < 50 ms, search p95 < 150 ms, reports < 500 ms.
 */
export const CONVERSATIONS = 10_000;
export const MESSAGES = 200_000;
const ITERATIONS = 25;
const PASSWORD = "bench-password-123";

const EN = [
  "I lost my debit card yesterday, can you freeze it?",
  "How much does a replacement card cost?",
  "My transfer to another bank has not arrived yet.",
  "Why was my credit card declined at the supermarket?",
  "What is the interest rate for a one-year time deposit?",
  "I want to dispute a payment I did not make.",
  "Can I increase my daily transfer limit?",
  "The app keeps logging me out, this is unacceptable.",
  "How do I reset my PIN?",
  "When will my fixed deposit mature?",
  "Please close my savings account.",
  "I was charged twice for the same purchase.",
];
const ZH = [
  "我的信用卡丢了，怎么挂失？",
  "转账到其他银行多久能到账？",
  "零存整取漏存了一个月怎么办？",
  "定期存款提前支取利息怎么算？",
  "我的银行卡被冻结了，怎么解冻？",
  "信用卡分期手续费是多少？",
  "有一笔消费不是我本人操作的。",
  "手机银行登录不了，一直提示密码错误。",
];
// Varied customer text: topics recombine, so a search term hits a realistic few percent of messages.
const PRODUCTS_EN = ["debit card", "credit card", "savings account", "mortgage", "time deposit", "mobile app", "transfer", "loan"];
const ISSUES_EN = [
  "was declined",
  "shows a charge I don't recognise",
  "needs a replacement",
  "has the wrong address",
  "limit is too low",
  "was frozen yesterday",
  "statement is missing",
  "fee looks wrong",
];
const OPENERS_EN = ["Hi,", "Hello,", "Good morning,", "Sorry to bother you,", "Quick question:", ""];
const PRODUCTS_ZH = ["借记卡", "信用卡", "储蓄账户", "房贷", "定期存款", "手机银行", "跨行转账", "零存整取"];
const ISSUES_ZH = ["被拒绝了", "有一笔不认识的扣款", "需要补办", "地址不对", "额度太低", "昨天被冻结了", "账单没收到", "手续费不对"];
const AGENT = [
  "Thanks for waiting, I'm looking into this now.",
  "I've checked your account and the payment is pending.",
  "您好，我来帮您处理这个问题。",
  "Could you confirm the last four digits of the card?",
  "The replacement card will arrive in 5–7 working days.",
];
const REASONS = ["explicit_request", "negative_sentiment", "sensitive_topic", "low_confidence", "rejected_answers"];
const LABELS = ["fraud", "vip", "complaint", "cards", "follow-up"];
const PRIORITIES = ["none", "none", "none", "low", "medium", "high", "urgent"];
const SENTIMENTS = ["negative", "neutral", "neutral", "positive"];

function uuid(rand: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  h[12] = "4";
  h[16] = "89ab"[Math.floor(rand() * 4)]!;
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Seeds the data set into a migrated, empty database. Returns ids the measurements use. */
export async function seedInbox(db: Database, seed = 42) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = Date.now();

  const teams: string[] = [];
  for (const slug of ["cards", "care", "deposits", "general"]) {
    teams.push((await db.query<{ id: string }>("INSERT INTO teams (name, slug) VALUES ($1, $2) RETURNING id", [slug, slug])).rows[0]!.id);
  }
  const inboxes: string[] = [];
  for (const slug of ["website", "app"]) {
    inboxes.push(
      (
        await db.query<{ id: string }>(
          "INSERT INTO inboxes (slug, name, channel, identity_secret) VALUES ($1, $1, 'web', 'x') RETURNING id",
          [slug],
        )
      ).rows[0]!.id,
    );
  }
  const agents: string[] = [];
  for (let i = 0; i < 20; i++) {
    const id = (
      await db.query<{ id: string }>("INSERT INTO agents (email, name, role, password_hash) VALUES ($1, $2, 'agent', 'x') RETURNING id", [
        `agent${i}@bench.example`,
        `Agent ${i}`,
      ])
    ).rows[0]!.id;
    agents.push(id);
    await db.query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)", [teams[i % teams.length], id]);
  }
  const contacts: string[] = [];
  for (let start = 0; start < 5000; start += 1000) {
    const names = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `王${start + i}` : `Customer ${start + i}`));
    const ids = names.map(() => uuid(rand));
    await db.query("INSERT INTO contacts (id, name) SELECT * FROM unnest($1::uuid[], $2::text[])", [ids, names]);
    contacts.push(...ids);
  }

  // Conversations over the last 60 days.
  const conv = {
    id: [] as string[],
    inbox: [] as string[],
    contact: [] as string[],
    status: [] as string[],
    priority: [] as string[],
    assignee: [] as (string | null)[],
    team: [] as (string | null)[],
    labels: [] as string[],
    reason: [] as (string | null)[],
    created: [] as string[],
    handed: [] as (string | null)[],
    firstReply: [] as (string | null)[],
    resolved: [] as (string | null)[],
    waiting: [] as (string | null)[],
    sentiment: [] as (string | null)[],
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < CONVERSATIONS; i++) {
    const created = now - rand() * 60 * 86_400_000;
    const handed = rand() < 0.35;
    const status = !handed
      ? pick(["resolved", "resolved", "resolved", "pending"])
      : pick(["open", "open", "resolved", "resolved", "snoozed"]);
    const handedAt = handed ? created + rand() * 120_000 : null;
    const replied =
      handed && status !== "open" ? handedAt! + rand() * 900_000 : handed && rand() < 0.5 ? handedAt! + rand() * 600_000 : null;
    const resolvedAt = status === "resolved" ? created + 60_000 + rand() * 7_200_000 : null;
    conv.id.push(uuid(rand));
    conv.inbox.push(pick(inboxes));
    conv.contact.push(pick(contacts));
    conv.status.push(status);
    conv.priority.push(pick(PRIORITIES));
    conv.team.push(rand() < 0.85 ? pick(teams) : null);
    conv.assignee.push(handed && rand() < 0.7 ? pick(agents) : null);
    conv.labels.push(`{${rand() < 0.3 ? pick(LABELS) : ""}}`);
    conv.reason.push(handed ? pick(REASONS) : null);
    conv.created.push(iso(created));
    conv.handed.push(handedAt ? iso(handedAt) : null);
    conv.firstReply.push(replied ? iso(replied) : null);
    conv.resolved.push(resolvedAt ? iso(resolvedAt) : null);
    conv.waiting.push(status === "open" && !replied ? iso(handedAt!) : null);
    conv.sentiment.push(pick(SENTIMENTS));
  }
  for (let s = 0; s < CONVERSATIONS; s += 2000) {
    const sl = <T>(xs: T[]) => xs.slice(s, s + 2000);
    await db.query(
      `INSERT INTO conversations (id, inbox_id, contact_id, status, priority, assignee_id, team_id, labels, handoff_reason,
         created_at, handed_off_at, first_reply_at, resolved_at, waiting_since, sentiment_label, last_activity_at, updated_at)
       SELECT id, inbox, contact, status, priority, assignee, team, labels::text[], reason, created, handed, first_reply, resolved,
              waiting, sentiment, created, created
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[])
         AS t(id, inbox, contact, status, priority, assignee, team, labels, reason, created, handed, first_reply, resolved, waiting, sentiment)`,
      [
        sl(conv.id),
        sl(conv.inbox),
        sl(conv.contact),
        sl(conv.status),
        sl(conv.priority),
        sl(conv.assignee),
        sl(conv.team),
        sl(conv.labels),
        sl(conv.reason),
        sl(conv.created),
        sl(conv.handed),
        sl(conv.firstReply),
        sl(conv.resolved),
        sl(conv.waiting),
        sl(conv.sentiment),
      ],
    );
  }
  const rated = conv.id.filter((_, i) => conv.status[i] === "resolved" && rand() < 0.3);
  await db.query(
    "INSERT INTO csat_responses (conversation_id, rating) SELECT id, 1 + (abs(hashtext(id::text)) % 5) FROM unnest($1::uuid[]) AS id",
    [rated],
  );

  // Messages: 8–32 per conversation, exactly MESSAGES in all.
  const counts = conv.id.map(() => 8 + Math.floor(rand() * 25));
  let total = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; total !== MESSAGES; i = (i + 1) % counts.length) {
    if (total < MESSAGES) {
      counts[i]!++;
      total++;
    } else if (counts[i]! > 2) {
      counts[i]!--;
      total--;
    }
  }
  let batch = {
    conv: [] as string[],
    seq: [] as number[],
    type: [] as string[],
    sender: [] as string[],
    content: [] as string[],
    at: [] as string[],
  };
  const flush = async () => {
    if (!batch.conv.length) return;
    await db.query(
      `INSERT INTO messages (conversation_id, seq, message_type, sender_type, content, created_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
      [batch.conv, batch.seq, batch.type, batch.sender, batch.content, batch.at],
    );
    batch = { conv: [], seq: [], type: [], sender: [], content: [], at: [] };
  };
  for (let i = 0; i < conv.id.length; i++) {
    const zh = rand() < 0.3;
    const start = Date.parse(conv.created[i]!);
    for (let seq = 1; seq <= counts[i]!; seq++) {
      const customer = seq % 2 === 1;
      batch.conv.push(conv.id[i]!);
      batch.seq.push(seq);
      batch.type.push(customer ? "incoming" : "outgoing");
      batch.sender.push(customer ? "contact" : seq < 6 ? "bot" : "agent");
      const text =
        rand() < 0.3
          ? pick(zh ? ZH : EN)
          : zh
            ? `您好，我的${pick(PRODUCTS_ZH)}${pick(ISSUES_ZH)}。`
            : `${pick(OPENERS_EN)} my ${pick(PRODUCTS_EN)} ${pick(ISSUES_EN)}.`.trim();
      batch.content.push(customer ? `${text} (ref ${Math.floor(rand() * 100000)})` : pick(AGENT));
      batch.at.push(iso(start + seq * 30_000));
    }
    if (batch.conv.length >= 10_000) await flush();
  }
  await flush();
  // Reports: about one bot reply in eight declined the customer's question before it
  // (the "top unanswered questions"), and conversations carry a sentiment score.
  await db.query(
    `UPDATE messages b SET content_attributes = jsonb_build_object('declined', true, 'replyTo', q.id)
     FROM messages q
     WHERE b.sender_type = 'bot' AND q.conversation_id = b.conversation_id AND q.seq = b.seq - 1
       AND abs(hashtext(b.conversation_id::text || b.seq)) % 8 = 0`,
  );
  // About one answer in five (not declined) carries its passage and a customer's verdict,
  // a third of them not helpful: containment, the helpful rate and the unhelpful answers
  // among the unanswered questions read them (answer_feedback).
  await db.query(
    `UPDATE messages b SET content_attributes = jsonb_build_object('replyTo', q.id, 'citations',
       jsonb_build_array(jsonb_build_object('path', 'cards/lost-card.md', 'title', 'Lost or stolen card', 'heading', 'Freeze the card')))
     FROM messages q
     WHERE b.sender_type = 'bot' AND NOT b.declined AND q.conversation_id = b.conversation_id AND q.seq = b.seq - 1
       AND abs(hashtext(b.conversation_id::text || b.seq)) % 5 = 1`,
  );
  await db.query(
    `INSERT INTO answer_feedback (message_id, conversation_id, rating, via)
     SELECT id, conversation_id, CASE WHEN abs(hashtext(id::text)) % 3 = 0 THEN 'not_helpful' ELSE 'helpful' END, 'button'
     FROM messages WHERE sender_type = 'bot' AND content_attributes ? 'citations'`,
  );
  await db.query(
    `UPDATE conversations SET sentiment_score = CASE sentiment_label WHEN 'negative' THEN -0.6 WHEN 'positive' THEN 0.5 ELSE 0 END
       + (abs(hashtext(id::text)) % 20 - 10) / 100.0 WHERE sentiment_label IS NOT NULL`,
  );
  await db.query(
    `UPDATE conversations c SET last_seq = m.n, last_activity_at = m.last
     FROM (SELECT conversation_id, max(seq) AS n, max(created_at) AS last FROM messages GROUP BY 1) m WHERE m.conversation_id = c.id`,
  );
  await db.query("ANALYZE");
  return { teams, inboxes, agents };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

let client = 0;
/** As many agents behind a proxy (the API rate limit is per client address). */
const headers = (cookie: string) => ({ cookie, "x-forwarded-for": `10.0.${(++client >> 8) & 255}.${client & 255}` });

async function measure(label: string, paths: string[], cookie: string, target: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) await fetch(paths[i % paths.length]!, { headers: headers(cookie) }).then((r) => r.arrayBuffer()); // warm-up
  for (let i = 0; i < ITERATIONS * paths.length; i++) {
    const url = paths[i % paths.length]!;
    const t0 = performance.now();
    const r = await fetch(url, { headers: headers(cookie) });
    await r.arrayBuffer();
    times.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(
    `    ${label.padEnd(44)} p50 ${String(p50).padStart(6)} ms   p95 ${String(p95).padStart(6)} ms   ${p95 < target ? "✓" : "✗"} < ${target} ms`,
  );
  return { p50, p95 };
}

async function runOn(name: string, db: Database) {
  const t0 = performance.now();
  await migrate(db);
  const ids = await seedInbox(db);
  console.log(
    `  ${name}: seeded ${CONVERSATIONS.toLocaleString("en")} conversations, ${MESSAGES.toLocaleString("en")} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-bench-console-"));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    KNOWLEDGE_WATCH: "false",
    DEMO_SEED: "false",
    REDIS_URL: "",
  });
  let app: App | undefined;
  try {
    app = await startApp({ config, db, port: 0, services: ["web"], logger: createLogger("warn") });
    await createAgent(app.ctx, { actor: SYSTEM, email: "admin@bench.example", name: "Admin", role: "admin", password: PASSWORD });
    const login = async (email: string) => {
      const r = await fetch(`${app!.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (r.status !== 200) throw new Error(`login ${r.status}`);
      return r.headers.get("set-cookie")!.split(";")[0]!;
    };
    await db.query(
      "UPDATE agents SET password_hash = (SELECT password_hash FROM agents WHERE email = 'admin@bench.example') WHERE email = 'agent0@bench.example'",
    );
    const admin = await login("admin@bench.example");
    const agent = await login("agent0@bench.example");
    const base = `${app.url}/api/v1`;
    const list = (q: string) => `${base}/conversations?${q}`;
    const rand = mulberry32(7);
    const results: Record<string, { p50: number; p95: number }> = {};
    results.listAgent = await measure(
      "list, agent: mine / unassigned / all",
      ["view=mine", "view=unassigned", "view=all", "view=all&offset=50"].map(list),
      agent,
      50,
    );
    results.listAdmin = await measure(
      "list, admin: views + filters",
      [
        "view=all",
        "view=unassigned",
        "view=resolved",
        "view=bot",
        `view=all&teamId=${ids.teams[1]}`,
        `view=all&inboxId=${ids.inboxes[0]}&priority=urgent`,
        "view=all&label=fraud",
        "view=all&sentiment=negative&status=open",
      ].map(list),
      admin,
      50,
    );
    results.counts = await measure("view counts (navigation)", [`${base}/conversations/counts`], agent, 50);
    results.searchEn = await measure(
      "search, English",
      ["replacement card", "wrong address", "charged twice", "nothing matches this"].map((q) =>
        list(`view=all&q=${encodeURIComponent(q)}`),
      ),
      admin,
      150,
    );
    results.searchZh = await measure(
      "search, Chinese",
      ["信用卡", "零存整取", "到账", "补办", "不存在的内容"].map((q) => list(`view=all&q=${encodeURIComponent(q)}`)),
      admin,
      150,
    );
    results.searchAgent = await measure(
      "search, agent (visibility applied)",
      ["freeze", "挂失"].map((q) => list(`view=all&q=${encodeURIComponent(q)}`)),
      agent,
      150,
    );
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    results.reports = await measure(
      "reports summary, 30 days",
      [
        `${base}/reports/summary?from=${from.toISOString()}&to=${to.toISOString()}`,
        `${base}/reports/summary?from=${from.toISOString()}&to=${to.toISOString()}&teamId=${ids.teams[Math.floor(rand() * 4)]}`,
      ],
      admin,
      500,
    );
    return results;
  } finally {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runConsoleBench(): Promise<void> {
  console.log(
    `Agent console at scale (${CONVERSATIONS.toLocaleString("en")} conversations, ${MESSAGES.toLocaleString("en")} messages; HTTP API, ${ITERATIONS} rounds)`,
  );
  const embedded = await openPGlite();
  try {
    await runOn("embedded (PGlite)", embedded);
  } finally {
    await embedded.close();
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log("  (set DATABASE_URL for the PostgreSQL figures)");
    return;
  }
  const name = `bankdesk_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString());
  try {
    await runOn("PostgreSQL", db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConsoleBench();
