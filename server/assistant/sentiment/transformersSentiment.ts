/**
 * A local text-classification model (ONNX, through transformers.js) as a sentiment
 * backend: e.g. a multilingual XLM-R or BERT fine-tuned on three sentiment classes,
 * exported with its tokenizer to a folder. English and Chinese both go to it.
 */
import { loadLocalPipeline } from "../../localModels/transformersRuntime.ts";
import { labelOf, type ClassProbabilities, type SentimentClassifier } from "./modelSentiment.ts";

type Scored = { label: string; score: number };
/** transformers.js: one list per text with top_k null (a single text may come back unnested). */
type Classifier = (texts: string[], opts: { top_k: null }) => Promise<Scored[] | Scored[][]>;

export class TransformersSentiment implements SentimentClassifier {
  private constructor(
    private readonly classifier: Classifier,
    readonly id: string,
  ) {}

  /** Loads the model in `modelDir` and checks that its labels name sentiment classes (else throws, at start). */
  static async create(opts: { modelDir: string; allowRemote: boolean }): Promise<TransformersSentiment> {
    const { pipe, name } = await loadLocalPipeline("text-classification", { ...opts, setting: "SENTIMENT=transformers" });
    const model = new TransformersSentiment(pipe as Classifier, `transformers:${name}`);
    const labels = (pipe as { model?: { config?: { id2label?: Record<string, string> } } }).model?.config?.id2label ?? {};
    const unknown = Object.values(labels).filter((l) => !labelOf(l));
    const known = new Set(Object.values(labels).map(labelOf));
    if (unknown.length || !known.has("negative") || !known.has("positive"))
      throw new Error(
        `SENTIMENT_MODEL_DIR: the model's labels (${Object.values(labels).join(", ") || "none"}) must be negative and positive, and may include neutral`,
      );
    return model;
  }

  async classify(texts: string[]): Promise<ClassProbabilities[]> {
    const out = await this.classifier(texts, { top_k: null });
    const perText = (texts.length === 1 && out.length && !Array.isArray(out[0]) ? [out] : out) as Scored[][];
    return perText.map((scored) => {
      const p: ClassProbabilities = { negative: 0, neutral: 0, positive: 0 };
      for (const s of scored) {
        const l = labelOf(s.label);
        if (l) p[l] += s.score;
      }
      return p;
    });
  }
}
