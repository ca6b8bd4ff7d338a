import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { LexiconSentiment } from "./analyzer.ts";
import { combinedLabel, EN_SOCIAL_MODEL_FILE, LearnedSentimentModel, loadEnSocialModel, socialWords, type ModelFile } from "./learned.ts";

const shipped = JSON.parse(fs.readFileSync(EN_SOCIAL_MODEL_FILE, "utf8")) as ModelFile;
const lexiconOnly = new LexiconSentiment({ model: null });
const analyzer = new LexiconSentiment();

/** Short social posts and service messages of our own wording (none from the training data). */
const TEXTS = [
  "I've been a customer for 10 years and this is how you treat me?",
  "The app logged me out in the middle of a transfer and now I have no idea if it went through.",
  "can't wait for the game on sunday with the whole family",
  "Off to the office, meeting at 9 then lunch with the team",
  "the new update broke everything again, seriously",
  "What is the interest rate on a one-year deposit?",
  "The staff at the branch were wonderful, thank you!",
  "watching the Grateful Dead at the Fillmore tonight",
];

describe("learned English sentiment", () => {
  it("is what the default analyzer uses for English: its label is the shipped model's", () => {
    // The model keeps what predicting needs, not its file: it is known by what it predicts.
    expect(analyzer.model).toBeInstanceOf(LearnedSentimentModel);
    const model = loadEnSocialModel();
    for (const t of TEXTS) expect(analyzer.analyze(t).label).toBe(model.predict(t, lexiconOnly.explain(t).reading));
    // …and it is not the lexicon's label under another name.
    expect(TEXTS.some((t) => analyzer.analyze(t).label !== lexiconOnly.analyze(t).label)).toBe(true);
  });

  it("decides from its weights: a model leaning to one label moves the analyzer's answer, not its score", () => {
    const leaning = new LearnedSentimentModel({ ...shipped, bias: [-50, -50, 50] });
    const withLeaning = new LexiconSentiment({ model: leaning });
    const text = "Off to the office, meeting at 9 then lunch with the team";
    expect(withLeaning.analyze(text).label).toBe("positive");
    expect(withLeaning.analyze(text).score).toBe(analyzer.analyze(text).score);
  });

  it("keeps a confident lexicon verdict and leaves Chinese to the lexicon", () => {
    const towardsNeutral = new LexiconSentiment({ model: new LearnedSentimentModel({ ...shipped, bias: [-50, 50, -50] }) });
    // The lexicon is sure (|score| over the gate): its label stands whatever the model says.
    const sure = "This is the worst banking app I have ever used, absolutely terrible";
    expect(Math.abs(lexiconOnly.analyze(sure).score)).toBeGreaterThanOrEqual(shipped.options.gate.confidentScore);
    expect(towardsNeutral.analyze(sure).label).toBe("negative");
    // Chinese text is never given to the English model.
    for (const t of ["服务太差了，等了半天没人理", "谢谢，办得很快"])
      expect(towardsNeutral.analyze(t).label).toBe(lexiconOnly.analyze(t).label);
  });

  it("combines by the gate: a neutral question, or a model unsure of itself, leaves the lexicon's label", () => {
    const reading = {
      score: 0.05,
      positive: 0.1,
      negative: 0,
      strongestPositive: 0.1,
      strongestNegative: 0,
      emoji: 0,
      negated: 0,
      question: true,
      label: "neutral" as const,
    };
    const negative = [0.8, 0.1, 0.1];
    expect(combinedLabel(reading, negative, { neutralQuestions: true, confidentScore: 0.5, minProbability: 0 })).toBe("neutral");
    expect(combinedLabel(reading, negative, { neutralQuestions: false, confidentScore: 0.5, minProbability: 0 })).toBe("negative");
    // A model unsure of its label leaves the lexicon's.
    expect(
      combinedLabel({ ...reading, question: false }, [0.4, 0.3, 0.3], {
        neutralQuestions: false,
        confidentScore: 0.5,
        minProbability: 0.5,
      }),
    ).toBe("neutral");
  });

  it("reads words with mentions, links and numbers folded and a negated clause marked", () => {
    expect(socialWords("@bob NOT happy with http://x.co/a 3 times, sooo sad")).toEqual([
      "<user>",
      "not",
      "not_happy",
      "not_with",
      "not_<url>",
      "not_<num>",
      "not_times",
      ",",
      "soo",
      "sad",
    ]);
  });

  it("ships no vocabulary rarer than the training script allows, and a bounded file", () => {
    expect(shipped.options.minDocumentFrequency).toBeGreaterThanOrEqual(3);
    expect(Object.keys(shipped.wordVectors.words).length).toBeLessThanOrEqual(30_000);
    expect(fs.statSync(EN_SOCIAL_MODEL_FILE).size).toBeLessThan(2_000_000);
  });
});
