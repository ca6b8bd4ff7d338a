import { describe, expect, it } from "vitest";
import { labelAll, sentimentUnderTest } from "./sentimentUnderTest.ts";
import type { SentimentAnalyzer, SentimentResult } from "../../server/assistant/sentiment/index.ts";

const read = (t: string): SentimentResult => ({ label: t.includes("bad") ? "negative" : "neutral", score: 0 }) as SentimentResult;

describe("labelAll", () => {
  it("reads in batches, in order, when the analyzer takes many texts at once (a model)", async () => {
    const batches: number[] = [];
    const model: SentimentAnalyzer = {
      analyze: () => {
        throw new Error("a model is read in batches");
      },
      analyzeMany: async (texts) => {
        batches.push(texts.length);
        return texts.map(read);
      },
    };
    const texts = Array.from({ length: 130 }, (_, i) => (i % 3 ? `fine ${i}` : `bad ${i}`));
    const labels = await labelAll(model, texts);
    expect(batches).toEqual([64, 64, 2]);
    expect(labels).toEqual(texts.map((t) => read(t).label));
  });

  it("reads one by one otherwise", async () => {
    expect(await labelAll({ analyze: read }, ["bad day", "ok"])).toEqual(["negative", "neutral"]);
  });
});

describe("sentimentUnderTest", () => {
  it("measures the analyzer SENTIMENT configures: the offline lexicon by default", async () => {
    const { name, analyzer } = await sentimentUnderTest({});
    expect(name).toBe("offline lexicon");
    expect((await analyzer.analyze("this is terrible, I want my money back")).label).toBe("negative");
  });

  it("refuses a model backend without its model", async () => {
    await expect(sentimentUnderTest({ SENTIMENT: "transformers" })).rejects.toThrow(/SENTIMENT_MODEL_DIR/);
  });
});
