/**
 * Multinomial logistic regression (softmax) on sparse vectors, trained with
 * L2-regularised SGD (Bottou's schedule, lazy weight decay through a global scale).
 *
 * Sized for intent data: ~1,000 examples × ~20,000 features × ~30 classes trains in
 * well under a second because (a) every step touches only the example's non-zero
 * features and (b) classes whose gradient is negligible for an example are skipped,
 * which after the first epochs is most of them.
 */

export interface SparseVector {
  /** Feature indices, ascending. */
  idx: Int32Array;
  val: Float32Array;
}

export interface SoftmaxTrainOptions {
  /** L2 strength per example. Default 1e-4. */
  lambda?: number;
  /** Passes over the data. Default 30 (IntentClassifier uses 6). */
  epochs?: number;
  /** Initial learning rate. Default 0.5. */
  learningRate?: number;
  /** Seed for the shuffling order, so training is reproducible. */
  seed?: number;
  /** Per-class loss weights (e.g. to down-weight a large background class). */
  classWeights?: number[];
}

/** Small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SKIP_GRADIENT = 1e-3;

export class SoftmaxRegression {
  /** Row-major: weights[feature * nClasses + class]. */
  private constructor(
    readonly nFeatures: number,
    readonly nClasses: number,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  static train(X: SparseVector[], y: number[], nFeatures: number, nClasses: number, options: SoftmaxTrainOptions = {}): SoftmaxRegression {
    const lambda = options.lambda ?? 1e-4;
    const epochs = options.epochs ?? 30;
    const eta0 = options.learningRate ?? 0.5;
    const rand = mulberry32(options.seed ?? 1);
    const cw = options.classWeights;
    const C = nClasses;

    // True weights are scale * w; decaying `scale` applies L2 to all weights at once.
    const w = new Float32Array(nFeatures * C);
    const b = new Float64Array(C);
    let scale = 1;
    const order = Array.from(X.keys());
    const logits = new Float64Array(C);
    const active = new Int32Array(C);
    const step = new Float64Array(C);
    let t = 0;

    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const n of order) {
        const x = X[n]!;
        const target = y[n]!;
        const eta = eta0 / (1 + eta0 * lambda * t++);

        logits.set(b);
        for (let k = 0; k < x.idx.length; k++) {
          const base = x.idx[k]! * C;
          const v = x.val[k]! * scale;
          for (let c = 0; c < C; c++) logits[c]! += w[base + c]! * v;
        }
        let max = -Infinity;
        for (let c = 0; c < C; c++) if (logits[c]! > max) max = logits[c]!;
        let z = 0;
        for (let c = 0; c < C; c++) z += logits[c] = Math.exp(logits[c]! - max);

        scale *= 1 - eta * lambda;
        if (scale < 1e-6) {
          for (let k = 0; k < w.length; k++) w[k]! *= scale;
          scale = 1;
        }
        // Gradient of the loss w.r.t. the logits; classes with a negligible one are
        // skipped, then the update walks each feature's contiguous row of classes.
        const weight = cw ? cw[target]! : 1;
        let nActive = 0;
        for (let c = 0; c < C; c++) {
          const g = (logits[c]! / z - (c === target ? 1 : 0)) * weight;
          if (g > -SKIP_GRADIENT && g < SKIP_GRADIENT) continue;
          active[nActive] = c;
          step[nActive++] = (eta * g) / scale;
          b[c]! -= eta * g * 0.1; // the bias only captures class priors; let it learn slowly
        }
        for (let k = 0; k < x.idx.length; k++) {
          const base = x.idx[k]! * C;
          const v = x.val[k]!;
          for (let a = 0; a < nActive; a++) w[base + active[a]!]! -= step[a]! * v;
        }
      }
    }
    const weights = new Float32Array(w.length);
    for (let k = 0; k < w.length; k++) weights[k] = w[k]! * scale;
    return new SoftmaxRegression(nFeatures, C, weights, Float32Array.from(b));
  }

  /** The fitted weights (row-major, weights[feature * nClasses + class]) and biases, to be saved. */
  parameters(): { weights: Float32Array; bias: Float32Array } {
    return { weights: this.weights.slice(), bias: this.bias.slice() };
  }

  /** Raw class scores (logits) for one vector. */
  logits(x: SparseVector, out = new Float64Array(this.nClasses)): Float64Array {
    const C = this.nClasses;
    out.set(this.bias);
    for (let k = 0; k < x.idx.length; k++) {
      const f = x.idx[k]!;
      if (f >= this.nFeatures) continue;
      const base = f * C;
      const v = x.val[k]!;
      for (let c = 0; c < C; c++) out[c]! += this.weights[base + c]! * v;
    }
    return out;
  }
}

/** Softmax with temperature, in place. */
export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let z = 0;
  for (let c = 0; c < logits.length; c++) z += logits[c] = Math.exp((logits[c]! - max) / temperature);
  for (let c = 0; c < logits.length; c++) logits[c]! /= z;
  return logits;
}
