/**
 * The transformers.js embedder's loading code on a real ONNX model that the test
 * writes (tests/helpers/tinyEmbeddingModel.ts): loaded from a local directory with
 * remote models off, used to index and search a knowledge folder, and recorded by
 * the index so that changing embedders re-embeds everything.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/testDatabase.ts";
import { writeTinyEmbeddingModel } from "../helpers/tinyEmbeddingModel.ts";
import type { Database } from "../../server/db/Database.ts";
import { KnowledgeBase } from "../../server/knowledge/KnowledgeBase.ts";
import { HashingEmbedder } from "../../server/knowledge/embedders/HashingEmbedder.ts";
import { createEmbedder } from "../../server/knowledge/embedders/createEmbedder.ts";
import type { Embedder } from "../../server/knowledge/embedders/Embedder.ts";

/**
 * The runtime is an optional peer dependency (not in a default install): without it
 * these tests are skipped and the clear error is checked instead; CI installs it
 * and runs them (.ci/run, "local-model runtime").
 */
const runtimeInstalled = await import("@huggingface/transformers" as string).then(
  () => true,
  () => false,
);
if (!runtimeInstalled) console.log("@huggingface/transformers is not installed: the local-model tests are skipped (CI installs it)");

let db: Database;
let tmp: string;
let modelDir: string;
let knowledgeDir: string;
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-tfjs-"));
  modelDir = path.join(tmp, "models", "tiny-minilm");
  writeTinyEmbeddingModel(modelDir, { hidden: 24 });
  knowledgeDir = path.join(tmp, "knowledge");
  const write = (rel: string, title: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(knowledgeDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(knowledgeDir, rel), `---\ntitle: ${title}\nlocale: en\n---\n${body}\n`);
  };
  write("cards/freeze.md", "Freeze a card", "## Lost or stolen\nFreeze a lost or stolen debit card in the app, then block it.");
  write("loans/mortgage.md", "Mortgage rates", "## Interest\nHome loan interest rates and how to repay a mortgage.");
  write("branches/hours.md", "Branch hours", "## Opening hours\nEvery branch is open on weekdays; some open on Saturday.");
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.runIf(!runtimeInstalled)("EMBEDDER=transformers without the local-model runtime", () => {
  it("fails with a clear error that says how to add it", async () => {
    await expect(
      createEmbedder({ EMBEDDER: "transformers", TRANSFORMERS_MODEL_DIR: modelDir, TRANSFORMERS_ALLOW_REMOTE: false }),
    ).rejects.toThrow(/needs the local-model runtime: run `npm install @huggingface\/transformers@\^3.8.1`/);
  });
});

describe.runIf(runtimeInstalled)("TransformersEmbedder (local ONNX model)", () => {
  let embedder: Embedder;

  it("loads a model from a local directory with remote models off, through the config", async () => {
    embedder = await createEmbedder({ EMBEDDER: "transformers", TRANSFORMERS_MODEL_DIR: modelDir, TRANSFORMERS_ALLOW_REMOTE: false });
    expect(embedder.id).toBe("transformers:tiny-minilm:24");
    expect(embedder.dimensions).toBe(24);
  });

  it("returns one unit vector per text, in order, with related texts closer", async () => {
    const texts = ["How do I freeze my card?", "freeze a lost card", "mortgage interest rate"];
    const [a, b, c] = await embedder.embed(texts, "query");
    for (const v of [a!, b!, c!]) expect(dot(v, v)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    // Batching does not change a text's vector (padding is masked out of the mean).
    const [alone] = await embedder.embed([texts[2]!], "query");
    for (let i = 0; i < alone!.length; i++) expect(alone![i]).toBeCloseTo(c![i]!, 5);
  });

  it("indexes a knowledge folder and finds passages in dense mode", async () => {
    const kb = new KnowledgeBase(db, embedder, knowledgeDir);
    const s = await kb.sync();
    expect(s).toMatchObject({ added: 3, reembedded: true });
    const { rows } = await db.query<{ embedder: string; dimensions: number }>("SELECT embedder, dimensions FROM kb_index");
    expect(rows[0]).toEqual({ embedder: "transformers:tiny-minilm:24", dimensions: 24 });
    const hits = await kb.query("my debit card was stolen, freeze it", { k: 3, mode: "dense" });
    expect(hits[0]!.path).toBe("cards/freeze.md");
  });

  it("re-embeds the whole index when the embedder changes", async () => {
    const kb = new KnowledgeBase(db, new HashingEmbedder(), knowledgeDir);
    const s = await kb.sync();
    expect(s).toMatchObject({ added: 3, unchanged: 0, reembedded: true });
    const { rows } = await db.query<{ embedder: string }>("SELECT embedder FROM kb_index");
    expect(rows[0]!.embedder).toMatch(/^hashing-/);
  });

  it("fails with a clear error, and no download, when the directory has no model", async () => {
    await expect(
      createEmbedder({
        EMBEDDER: "transformers",
        TRANSFORMERS_MODEL_DIR: path.join(tmp, "models", "missing"),
        TRANSFORMERS_ALLOW_REMOTE: false,
      }),
    ).rejects.toThrow(/missing|local|not found|Could not locate/i);
    await expect(createEmbedder({ EMBEDDER: "transformers", TRANSFORMERS_ALLOW_REMOTE: false })).rejects.toThrow(/TRANSFORMERS_MODEL_DIR/);
  });
});
