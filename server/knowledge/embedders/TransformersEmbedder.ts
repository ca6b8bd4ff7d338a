import { loadLocalPipeline } from "../../localModels/transformersRuntime.ts";
import { l2normalize, type Embedder } from "./Embedder.ts";

type Extractor = (texts: string[], opts: { pooling: "mean"; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * A local sentence-embedding model (e.g. multilingual-e5-small or
 * paraphrase-multilingual-MiniLM in ONNX) through transformers.js. Loads from a
 * local directory; fetching from the Hugging Face hub only when
 * TRANSFORMERS_ALLOW_REMOTE=true. E5 models expect "query: " / "passage: " prefixes.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  private constructor(
    private readonly extractor: Extractor,
    readonly dimensions: number,
    modelName: string,
    private readonly prefixes: boolean,
  ) {
    this.id = `transformers:${modelName}:${dimensions}`;
  }

  static async create(opts: { modelDir: string; allowRemote: boolean }): Promise<TransformersEmbedder> {
    const { pipe, name } = await loadLocalPipeline("feature-extraction", { ...opts, setting: "EMBEDDER=transformers" });
    const extractor = pipe as Extractor;
    const prefixes = /e5/i.test(name);
    const probe = await extractor([prefixes ? "query: probe" : "probe"], { pooling: "mean", normalize: true });
    return new TransformersEmbedder(extractor, probe.dims[probe.dims.length - 1]!, name, prefixes);
  }

  async embed(texts: string[], kind: "query" | "passage"): Promise<Float32Array[]> {
    const input = this.prefixes ? texts.map((t) => `${kind}: ${t}`) : texts;
    const out = await this.extractor(input, { pooling: "mean", normalize: true });
    const d = this.dimensions;
    return texts.map((_, i) => l2normalize(out.data.slice(i * d, (i + 1) * d)));
  }
}
