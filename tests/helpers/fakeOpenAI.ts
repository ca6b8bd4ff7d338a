import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real, local OpenAI-compatible HTTP server for tests, so that the production
 * client code (LangChain + the openai package) runs unchanged against it.
 *
 * - `POST /v1/chat/completions`: streaming (SSE `data: {...}` chunks ending with
 *   `data: [DONE]`) and non-streaming, with content and/or tool calls.
 * - `POST /v1/embeddings`: deterministic bag-of-words vectors (float or base64).
 *
 * Every request is recorded (`requests`, `chatRequests()`, `rawBodies()`) and each
 * chat completion is scripted per test with `fake.script(req => reply)`.
 */

export interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: unknown[];
  [k: string]: unknown;
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  [k: string]: unknown;
}

export interface ScriptedToolCall {
  name: string;
  /** JSON text or an object (serialised). Default "{}". */
  arguments?: string | Record<string, unknown>;
}

export interface ScriptedReply {
  /** The assistant's text. Streamed in `chunks` when given, else split into word tokens. */
  content?: string;
  chunks?: string[];
  toolCalls?: ScriptedToolCall[];
  /** Pause between streamed chunks (ms). */
  chunkDelayMs?: number;
  /** Pause before the response starts (ms). */
  delayMs?: number;
  /** Drop the connection after streaming this many chunks (a provider failing mid-answer). */
  abortAfterChunks?: number;
  /** Never answer (for timeouts); the socket is closed by `close()`. */
  hang?: boolean;
  /** Reply with this HTTP error status instead. */
  status?: number;
  error?: string;
}

export type Script = (body: ChatRequestBody, req: RecordedRequest) => string | ScriptedReply | Promise<string | ScriptedReply>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
}

export interface FakeOpenAI {
  /** Base URL without the /v1 suffix, e.g. http://127.0.0.1:51234. */
  url: string;
  requests: RecordedRequest[];
  /** Bodies of the chat-completion requests, in order. */
  chatRequests(): ChatRequestBody[];
  /** Every request body as received, concatenated (for "never saw X" assertions). */
  rawBodies(): string;
  script(fn: Script): void;
  /** Forgets recorded requests and restores the default script. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_REPLY = "NO_ANSWER";
export const EMBEDDING_DIMENSIONS = 64;

/** Splits text into word-ish tokens that keep their leading whitespace ("Hello", " world", "."). */
export function tokens(text: string): string[] {
  return text.match(/\s*[^\s\p{P}]+|\s*\p{P}|\s+/gu) ?? [];
}

/** Deterministic unit vector: hashed bag of lower-cased words/characters. */
export function fakeEmbedding(text: string, dims = EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dims).fill(0);
  const toks = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const t of toks) {
    let h = 2166136261;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619) >>> 0;
    v[h % dims]! += h & 0x100 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  if (!norm) {
    v[0] = 1; // empty text (or cancelled-out hashes): still a unit vector
    return v;
  }
  return v.map((x) => x / norm);
}

export async function startFakeOpenAI(initial?: Script): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const defaultScript: Script = () => DEFAULT_REPLY;
  let script: Script = initial ?? defaultScript;
  const sockets = new Set<Socket>();
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? "/").split("?")[0]!;
    const recorded: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, raw, body };
    requests.push(recorded);

    try {
      if (req.method === "POST" && path.endsWith("/chat/completions")) return await chat(body as ChatRequestBody, recorded, res);
      if (req.method === "POST" && path.endsWith("/embeddings"))
        return embeddings(body as { input: string | string[]; model: string; encoding_format?: string; dimensions?: number }, res);
      json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
    } catch (err) {
      json(res, 500, { error: { message: String(err), type: "server_error" } });
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function chat(body: ChatRequestBody, recorded: RecordedRequest, res: http.ServerResponse) {
    if (!body || !Array.isArray(body.messages))
      return json(res, 400, { error: { message: "messages required", type: "invalid_request_error" } });
    const out = await script(body, recorded);
    const reply: ScriptedReply = typeof out === "string" ? { content: out } : out;
    if (reply.hang) return; // never answers
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.status) return json(res, reply.status, { error: { message: reply.error ?? "scripted error", type: "server_error" } });

    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;
    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      id: `call_${seq}_${i}`,
      type: "function" as const,
      function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments ?? {}) },
    }));
    const finish = calls.length ? "tool_calls" : "stop";
    const content = reply.content ?? (reply.chunks ? reply.chunks.join("") : calls.length ? null : "");

    if (!body.stream) {
      return json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content, ...(calls.length ? { tool_calls: calls } : {}) },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`,
      );
    send({ role: "assistant", content: "" });
    const parts = reply.chunks ?? (content ? tokens(content) : []);
    for (const [i, p] of parts.entries()) {
      if (res.destroyed) return;
      if (reply.abortAfterChunks !== undefined && i >= reply.abortAfterChunks) {
        res.destroy();
        return;
      }
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      send({ content: p });
    }
    calls.forEach((c, index) => {
      // Like OpenAI: the first delta names the call, the arguments follow in pieces.
      send({ tool_calls: [{ index, id: c.id, type: "function", function: { name: c.function.name, arguments: "" } }] });
      const args = c.function.arguments;
      const half = Math.ceil(args.length / 2);
      for (const piece of [args.slice(0, half), args.slice(half)])
        if (piece) send({ tool_calls: [{ index, function: { arguments: piece } }] });
    });
    send({}, finish);
    const opts = body.stream_options as { include_usage?: boolean } | undefined;
    if (opts?.include_usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: parts.length, total_tokens: 10 + parts.length } })}\n\n`,
      );
    }
    res.end("data: [DONE]\n\n");
  }

  function embeddings(
    body: { input: string | string[]; model: string; encoding_format?: string; dimensions?: number },
    res: http.ServerResponse,
  ) {
    const inputs = Array.isArray(body?.input) ? body.input : [body?.input ?? ""];
    const dims = body?.dimensions ?? EMBEDDING_DIMENSIONS;
    const data = inputs.map((text, index) => {
      const v = fakeEmbedding(String(text), dims);
      const embedding = body?.encoding_format === "base64" ? Buffer.from(Float32Array.from(v).buffer).toString("base64") : v;
      return { object: "embedding", index, embedding };
    });
    json(res, 200, {
      object: "list",
      data,
      model: body?.model ?? "fake-embedding",
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body as ChatRequestBody),
    rawBodies: () => requests.map((r) => r.raw).join("\n"),
    script(fn) {
      script = fn;
    },
    reset() {
      requests.length = 0;
      script = initial ?? defaultScript;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The text of every message of a chat request, joined (for "the model saw X" assertions). */
export function promptText(body: ChatRequestBody): string {
  return body.messages
    .map((m) => (typeof m.content === "string" ? m.content : Array.isArray(m.content) ? m.content.map((p) => p.text ?? "").join("") : ""))
    .join("\n");
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
