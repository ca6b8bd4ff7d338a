/**
 * Sentiment from a model the bank provides — a local transformers.js classifier
 * (transformersSentiment.ts) or the configured LLM (llmSentiment.ts) — read on the
 * lexicon analyzer's scale, so that handoff, the trend and the emotional profile read
 * it unchanged. The lexicon stays underneath: a model that fails or is slow costs one
 * message its model reading, never the message.
 */
import type { SentimentAnalyzer, SentimentLabel, SentimentResult } from "./analyzer.ts";

/** A model's probabilities for the three classes (summing to 1; a two-class model has neutral 0). */
export type ClassProbabilities = Record<SentimentLabel, number>;

/** What a model backend does: class probabilities for each text, in order (an Error for a text it could not read). */
export interface SentimentClassifier {
  /** For logs: which backend and model, never a URL or a key. */
  readonly id: string;
  classify(texts: string[], signal: AbortSignal): Promise<Array<ClassProbabilities | Error>>;
}

export const LABELS: readonly SentimentLabel[] = ["negative", "neutral", "positive"];

/** The class a model's own label names (cardiffnlp: negative/neutral/positive; SST-2: NEGATIVE/POSITIVE; short forms). */
export function labelOf(modelLabel: string): SentimentLabel | null {
  const l = modelLabel.trim().toLowerCase();
  if (l === "negative" || l === "neg") return "negative";
  if (l === "neutral" || l === "neu") return "neutral";
  if (l === "positive" || l === "pos") return "positive";
  return null;
}

/**
 * The label is the model's most probable class; the score is P(positive) − P(negative),
 * in −1…+1 like the lexicon's: a confident complaint reads near −1 (handoff's strong
 * negative), a torn reading near 0. Probabilities are normalised first (an LLM's need
 * not sum to 1).
 */
export function resultFromProbabilities(p: ClassProbabilities): SentimentResult {
  const total = p.negative + p.neutral + p.positive;
  if (!(total > 0) || !Number.isFinite(total)) throw new Error("the model gave no probability to any class");
  const q = { negative: p.negative / total, neutral: p.neutral / total, positive: p.positive / total };
  const label = LABELS.reduce((best, l) => (q[l] > q[best] ? l : best), "neutral" as SentimentLabel);
  const score = Math.max(-1, Math.min(1, q.positive - q.negative));
  return { label, score };
}

export class SentimentTimeoutError extends Error {
  constructor(ms: number) {
    super(`the sentiment model did not answer within ${ms} ms`);
    this.name = "SentimentTimeoutError";
  }
}

export interface ModelSentimentOptions {
  /** Read for a message the model could not (failure, timeout, unusable answer). */
  fallback: { analyze(text: string): SentimentResult };
  /** Longest wait for one call (one message, or one batch of the CLI). */
  timeoutMs: number;
  logger?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void };
}

/**
 * The SentimentAnalyzer over a model. A failure is logged once when the model starts
 * failing (and once when it is back), with the error's kind only: its message could
 * carry the customer's words or a provider's URL.
 */
export class ModelSentiment implements SentimentAnalyzer {
  private failing = false;

  constructor(
    private readonly model: SentimentClassifier,
    private readonly opts: ModelSentimentOptions,
  ) {}

  get id(): string {
    return this.model.id;
  }

  async analyze(text: string): Promise<SentimentResult> {
    return (await this.analyzeMany([text]))[0]!;
  }

  /** Many texts in one model call where the backend batches (the CLI); each falls back alone if the answer for it is unusable. */
  async analyzeMany(texts: string[]): Promise<SentimentResult[]> {
    if (!texts.length) return [];
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new SentimentTimeoutError(this.opts.timeoutMs);
        ac.abort(err);
        reject(err);
      }, this.opts.timeoutMs);
    });
    let probs: Array<ClassProbabilities | Error>;
    try {
      probs = await Promise.race([this.model.classify(texts, ac.signal), timeout]);
      if (probs.length !== texts.length) throw new Error(`the model answered ${probs.length} of ${texts.length} texts`);
    } catch (err) {
      this.failed(err);
      return texts.map((t) => this.opts.fallback.analyze(t));
    } finally {
      clearTimeout(timer);
    }
    let answered = 0;
    const results = texts.map((t, i) => {
      try {
        const p = probs[i]!;
        if (p instanceof Error) throw p;
        const r = resultFromProbabilities(p);
        answered++;
        return r;
      } catch (err) {
        this.failed(err);
        return this.opts.fallback.analyze(t);
      }
    });
    if (this.failing && answered) {
      this.failing = false;
      this.opts.logger?.info?.({ sentimentModel: this.model.id }, "sentiment model answering again");
    }
    return results;
  }

  private failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const kind = err instanceof Error ? err.name : typeof err;
    this.opts.logger?.warn(
      { sentimentModel: this.model.id, error: kind, timeout: err instanceof SentimentTimeoutError },
      "sentiment model failed: reading messages with the lexicon analyzer until it answers again",
    );
  }
}
