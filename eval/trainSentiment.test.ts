import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EN_SOCIAL_MODEL_FILE, ModelFileSchema } from "../server/assistant/sentiment/learned.ts";
import { SHARED_DATA } from "./public.ts";
import { serialise, trainEnSocialModel } from "./trainSentiment.ts";

const data = path.join(SHARED_DATA, "sentiment/en-social-val.jsonl");
const present = fs.existsSync(data);

describe("eval/trainSentiment.ts", () => {
  it.skipIf(!present)(
    present
      ? "retraining on the TweetEval dev half reproduces the shipped weights"
      : `retraining skipped: ${data} is absent (public data lives beside the repository)`,
    () => {
      const shipped = ModelFileSchema.parse(JSON.parse(fs.readFileSync(EN_SOCIAL_MODEL_FILE, "utf8")));
      const { charGrams, lambda, epochs, embeddingScale, gate } = shipped.options;
      const retrained = trainEnSocialModel({ charGrams, lambda, epochs, embeddingScale, gate });
      expect(serialise(retrained) === serialise(shipped)).toBe(true);
      // The file is written the way the script writes it (a hand edit would show here too).
      expect(fs.readFileSync(EN_SOCIAL_MODEL_FILE, "utf8")).toBe(serialise(shipped));
    },
    300_000,
  );
});
