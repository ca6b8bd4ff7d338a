/**
 * The local sentiment model's loading and reading code on a real ONNX model that the
 * test writes (tests/helpers/tinySentimentModel.ts): loaded from a local directory with
 * remote models off, through the configuration, read on the lexicon's scale, in batches.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinySentimentModel } from "../helpers/tinySentimentModel.ts";
import { createSentiment } from "../../server/assistant/sentiment/createSentiment.ts";
import type { SentimentAnalyzer } from "../../server/assistant/sentiment/analyzer.ts";

/** An optional peer dependency, as for the embedder (tests/integration/transformersEmbedder.test.ts). */
const runtimeInstalled = await import("@huggingface/transformers" as string).then(
  () => true,
  () => false,
);
if (!runtimeInstalled)
  console.log("@huggingface/transformers is not installed: the local sentiment model tests are skipped (CI installs it)");

let tmp: string;
let modelDir: string;
const config = (dir?: string) => ({
  SENTIMENT: "transformers" as const,
  SENTIMENT_MODEL_DIR: dir,
  SENTIMENT_TIMEOUT_MS: 10_000,
  TRANSFORMERS_ALLOW_REMOTE: false,
});

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bankdesk-senti-"));
  modelDir = path.join(tmp, "models", "tiny-sentiment");
  writeTinySentimentModel(modelDir);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.runIf(!runtimeInstalled)("SENTIMENT=transformers without the local-model runtime", () => {
  it("fails with a clear error that says how to add it", async () => {
    await expect(createSentiment(config(modelDir))).rejects.toThrow(
      /SENTIMENT=transformers needs the local-model runtime: run `npm install/,
    );
  });
});

describe.runIf(runtimeInstalled)("the local sentiment model (transformers.js, ONNX)", () => {
  let analyzer: SentimentAnalyzer;

  it("loads from a local directory with remote models off, through the configuration", async () => {
    analyzer = await createSentiment(config(modelDir));
    expect((analyzer as { id?: string }).id).toBe("transformers:tiny-sentiment");
  });

  it("reads English and Chinese on the lexicon's scale: label and P(positive) − P(negative)", async () => {
    const angry = await analyzer.analyze("This is terrible, I am furious");
    expect(angry.label).toBe("negative");
    expect(angry.score).toBeLessThan(-0.9);
    expect(await analyzer.analyze("How do I freeze my card?")).toEqual({ label: "neutral", score: 0 });
    expect(await analyzer.analyze("thanks, that was helpful")).toMatchObject({ label: "positive" });
    // The model, not the lexicon: these characters are sentiment only in the tiny model's table.
    const zh = await analyzer.analyze("这服务太烂了，我要投诉");
    expect(zh.label).toBe("negative");
    expect(zh.score).toBeLessThan(-0.9);
    expect((await analyzer.analyze("谢谢")).label).toBe("positive");
  });

  it("reads a batch in one call, each text as it reads alone", async () => {
    const texts = ["thanks", "my card is lost, how do I freeze it", "worst bank, a scam", "卡怎么冻结", ""];
    const batch = await analyzer.analyzeMany!(texts);
    const alone = await Promise.all(texts.map((t) => analyzer.analyze(t)));
    expect(batch.map((r) => r.label)).toEqual(["positive", "neutral", "negative", "neutral", "neutral"]);
    batch.forEach((r, i) => expect(r.score).toBeCloseTo(alone[i]!.score, 5));
  });

  it("refuses at start a model whose labels are not sentiment classes, and a folder with no model", async () => {
    const other = path.join(tmp, "models", "tiny-topics");
    writeTinySentimentModel(other, { labels: ["LABEL_0", "LABEL_1", "LABEL_2"] });
    await expect(createSentiment(config(other))).rejects.toThrow(
      /SENTIMENT_MODEL_DIR: the model's labels \(LABEL_0, LABEL_1, LABEL_2\) must be negative and positive/,
    );
    await expect(createSentiment(config(path.join(tmp, "models", "missing")))).rejects.toThrow(/missing|local|not found|Could not locate/i);
    await expect(createSentiment(config())).rejects.toThrow(/SENTIMENT_MODEL_DIR/);
  });
});
