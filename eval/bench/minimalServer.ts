/**
 * The yardstick of the message-path bench (eval/bench/messagePath.ts): the least a
 * server must do for a chat message, and nothing else. Socket.IO, the payload
 * validated with zod, one INSERT into a messages table (idempotent on the client's
 * id, committed with the database's default durability, as BankDesk stores a
 * customer's message), then the acknowledgement. No session, no limits, no events,
 * no jobs. Run as a child process of the bench (its RSS and CPU are its own):
 *
 *   PORT=4100 DATABASE_URL=postgres://… node --import tsx eval/bench/minimalServer.ts
 *
 * Without DATABASE_URL it stores into PGlite in DATA_DIR, as the embedded mode does.
 * Prints `listening <port>` on stdout once it accepts connections.
 */
import crypto from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { Server } from "socket.io";
import { z } from "zod";

const TABLE = `CREATE TABLE IF NOT EXISTS minimal_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  client_id text NOT NULL,
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, client_id)
)`;
const INSERT = `INSERT INTO minimal_messages (conversation_id, client_id, content) VALUES ($1, $2, $3)
  ON CONFLICT (conversation_id, client_id) DO NOTHING RETURNING id, created_at`;

type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

async function openDatabase(): Promise<Query> {
  if (process.env.DATABASE_URL) {
    // The same pool size as BankDesk's web process (DATABASE_POOL_SIZE's default).
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
    return (sql, params) => pool.query(sql, params);
  }
  const db = await PGlite.create({ dataDir: process.env.DATA_DIR });
  return (sql, params) => db.query(sql, params);
}

const Message = z.object({
  conversationId: z.string().uuid().optional(),
  clientId: z.string().min(1).max(100),
  content: z.string().min(1).max(10_000),
});

const query = await openDatabase();
await query(TABLE);
const http = createServer();
const io = new Server(http, { serveClient: false });
io.on("connection", (socket) => {
  const ownConversation = crypto.randomUUID();
  socket.on("message:send", async (payload: unknown, ack?: (r: unknown) => void) => {
    if (typeof ack !== "function") return;
    const p = Message.safeParse(payload);
    if (!p.success) return ack({ ok: false, error: { code: "validation_error", message: p.error.issues[0]?.message } });
    try {
      const conversationId = p.data.conversationId ?? ownConversation;
      const { rows } = await query(INSERT, [conversationId, p.data.clientId, p.data.content]);
      ack({ ok: true, message: { id: rows[0]?.id ?? null, conversationId }, duplicate: !rows[0] });
    } catch {
      ack({ ok: false, error: { code: "unavailable" } });
    }
  });
});
http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = http.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : process.env.PORT}`);
});
process.once("SIGTERM", () => {
  void io.close();
  process.exit(0);
});
