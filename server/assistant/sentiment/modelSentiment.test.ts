import { describe, expect, it } from "vitest";
import { LexiconSentiment } from "./analyzer.ts";
import { labelOf, ModelSentiment, resultFromProbabilities, type ClassProbabilities, type SentimentClassifier } from "./modelSentiment.ts";
import { ConfigError, loadConfig } from "../../config.ts";
import { createSentiment } from "./createSentiment.ts";

const lexicon = new LexiconSentiment();

function recorder() {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  return {
    lines,
    warn: (obj: object, msg: string) => lines.push({ level: "warn", obj, msg }),
    info: (obj: object, msg: string) => lines.push({ level: "info", obj, msg }),
  };
}

const classifier = (classify: SentimentClassifier["classify"]): SentimentClassifier => ({ id: "test:model", classify });

describe("the score of a model's class probabilities", () => {
  it("is P(positive) − P(negative) on the lexicon's −1…+1 scale, with the most probable class as the label", () => {
    expect(resultFromProbabilities({ negative: 0.9, neutral: 0.08, positive: 0.02 })).toEqual({
      label: "negative",
      score: expect.closeTo(-0.88, 10),
    });
    expect(resultFromProbabilities({ negative: 0.1, neutral: 0.2, positive: 0.7 })).toEqual({
      label: "positive",
      score: expect.closeTo(0.6, 10),
    });
    expect(resultFromProbabilities({ negative: 0.2, neutral: 0.6, positive: 0.2 })).toEqual({ label: "neutral", score: 0 });
    // A two-class model (no neutral) and certainty reach the ends of the scale.
    expect(resultFromProbabilities({ negative: 1, neutral: 0, positive: 0 })).toEqual({ label: "negative", score: -1 });
    expect(resultFromProbabilities({ negative: 0, neutral: 0, positive: 1 })).toEqual({ label: "positive", score: 1 });
  });

  it("normalises probabilities that do not sum to 1 (an LLM's), and refuses none at all", () => {
    expect(resultFromProbabilities({ negative: 2, neutral: 1, positive: 1 })).toEqual({
      label: "negative",
      score: expect.closeTo(-0.25, 10),
    });
    expect(() => resultFromProbabilities({ negative: 0, neutral: 0, positive: 0 })).toThrow(/no probability/);
    expect(() => resultFromProbabilities({ negative: Number.NaN, neutral: 0, positive: 0 })).toThrow();
  });

  it("reads the usual names of a model's labels, and nothing else", () => {
    expect(["NEGATIVE", "neg", "Neutral", "neu", "positive", "POS"].map(labelOf)).toEqual([
      "negative",
      "negative",
      "neutral",
      "neutral",
      "positive",
      "positive",
    ]);
    expect(labelOf("LABEL_0")).toBeNull();
    expect(labelOf("5 stars")).toBeNull();
  });
});

describe("ModelSentiment: the model reads, the lexicon stands in", () => {
  const complaint = "This is ridiculous, I am furious with your bank";

  it("returns the model's reading, for one text and for a batch in one call", async () => {
    const calls: string[][] = [];
    const model = new ModelSentiment(
      classifier(async (texts) => {
        calls.push(texts);
        return texts.map((t): ClassProbabilities =>
          t.includes("thanks") ? { negative: 0, neutral: 0.2, positive: 0.8 } : { negative: 0.7, neutral: 0.3, positive: 0 },
        );
      }),
      { fallback: lexicon, timeoutMs: 1000 },
    );
    expect(await model.analyze(complaint)).toEqual({ label: "negative", score: -0.7 });
    expect(await model.analyzeMany(["thanks a lot", complaint])).toEqual([
      { label: "positive", score: 0.8 },
      { label: "negative", score: -0.7 },
    ]);
    expect(calls).toEqual([[complaint], ["thanks a lot", complaint]]);
    expect(await model.analyzeMany([])).toEqual([]);
  });

  it("falls back to the lexicon when the model throws, logging once per outage without the text or the error's message", async () => {
    const log = recorder();
    let down = true;
    const model = new ModelSentiment(
      classifier(async (texts) => {
        if (down) throw new Error(`connection refused to https://user:secret@model.bank.example for "${texts[0]}"`);
        return texts.map(() => ({ negative: 0, neutral: 1, positive: 0 }));
      }),
      { fallback: lexicon, timeoutMs: 1000, logger: log },
    );
    expect(await model.analyze(complaint)).toEqual(lexicon.analyze(complaint));
    expect(await model.analyzeMany(["thanks so much!", "my card is lost"])).toEqual([
      lexicon.analyze("thanks so much!"),
      lexicon.analyze("my card is lost"),
    ]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: "warn", obj: { sentimentModel: "test:model", error: "Error", timeout: false } });
    expect(JSON.stringify(log.lines)).not.toMatch(/furious|secret|model\.bank/);
    down = false;
    expect(await model.analyze(complaint)).toEqual({ label: "neutral", score: 0 });
    expect(log.lines.map((l) => l.level)).toEqual(["warn", "info"]);
    down = true;
    await model.analyze(complaint);
    expect(log.lines.map((l) => l.level)).toEqual(["warn", "info", "warn"]);
  });

  it("falls back when the model is too slow, and aborts its call", async () => {
    const log = recorder();
    let aborted = false;
    const model = new ModelSentiment(
      classifier(
        (_texts, signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => ((aborted = true), reject(signal.reason)));
          }),
      ),
      { fallback: lexicon, timeoutMs: 50, logger: log },
    );
    const t0 = performance.now();
    expect(await model.analyze(complaint)).toEqual(lexicon.analyze(complaint));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(aborted).toBe(true);
    expect(log.lines[0]).toMatchObject({ obj: { error: "SentimentTimeoutError", timeout: true } });
  });

  it("falls back for the one text the model could not read, keeping the others", async () => {
    const model = new ModelSentiment(
      classifier(async (texts) =>
        texts.map((t, i) => (i === 1 ? new SyntaxError("not JSON") : { negative: 0, neutral: 0, positive: t ? 1 : 0 })),
      ),
      { fallback: lexicon, timeoutMs: 1000 },
    );
    expect(await model.analyzeMany(["great", complaint, ""])).toEqual([
      { label: "positive", score: 1 },
      lexicon.analyze(complaint),
      lexicon.analyze(""),
    ]);
    // A model that answers for fewer texts than it was given is not trusted at all.
    const short = new ModelSentiment(
      classifier(async () => [{ negative: 1, neutral: 0, positive: 0 }]),
      { fallback: lexicon, timeoutMs: 1000 },
    );
    expect(await short.analyzeMany(["great", complaint])).toEqual([lexicon.analyze("great"), lexicon.analyze(complaint)]);
  });
});

describe("SENTIMENT configuration", () => {
  it("defaults to the offline lexicon", async () => {
    const config = loadConfig({ DATA_DIR: "/tmp/bankdesk-sentimodel-config" });
    expect(config.SENTIMENT).toBe("lexicon");
    expect(await createSentiment(config)).toBeInstanceOf(LexiconSentiment);
  });

  it("stops at start, naming what is missing, for a model without its settings", () => {
    const issues = (env: Record<string, string>) => {
      try {
        loadConfig({ DATA_DIR: "/tmp/bankdesk-sentimodel-config", ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).issues;
      }
    };
    expect(issues({ SENTIMENT: "transformers" })).toEqual([
      expect.stringMatching(/^SENTIMENT_MODEL_DIR: required with SENTIMENT=transformers/),
    ]);
    expect(issues({ SENTIMENT: "llm" })).toEqual([
      expect.stringMatching(/^SENTIMENT: SENTIMENT=llm needs the chat model configured: OPENAI_MODEL/),
    ]);
    expect(issues({ SENTIMENT: "llm", OPENAI_MODEL: "m" })).toHaveLength(1);
    expect(issues({ SENTIMENT: "llm", OPENAI_MODEL: "m", OPENAI_BASE_URL: "http://127.0.0.1:5600/v1" })).toEqual([]);
    expect(issues({ SENTIMENT: "bert" })[0]).toMatch(/^SENTIMENT: /);
  });
});
