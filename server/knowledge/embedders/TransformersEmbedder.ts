import path from "node:path";
import { l2normalize, type Embedder } from "./Embedder.ts";

type Extractor = (texts: string[], opts: { pooling: "mean"; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * The local-model runtime is an optional peer dependency: with its ONNX runtime it
 * is hundreds of MB, and the default embedder needs neither. A bank that sets
 * EMBEDDER=transformers adds it (`npm install @huggingface/transformers@^3.8.1`).
 * Named in a variable so that type-checking does not need it installed.
 */
const RUNTIME = "@huggingface/transformers";
interface TransformersRuntime {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: "feature-extraction", model: string, opts: { dtype: "fp32" }): Promise<unknown>;
}

async function loadRuntime(): Promise<TransformersRuntime> {
  try {
    return (await import(RUNTIME)) as TransformersRuntime;
  } catch (err) {
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners say they could not resolve it.
    const missing = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /could not resolve|cannot find/i.test(String(err));
    if (!missing || !String(err).includes(RUNTIME)) throw err;
    throw new Error(`EMBEDDER=transformers needs the local-model runtime: run \`npm install ${RUNTIME}@^3.8.1\` (it is not installed by default)`);
  }
}

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
    const { env, pipeline } = await loadRuntime();
    const dir = path.resolve(opts.modelDir);
    env.allowRemoteModels = opts.allowRemote;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(dir);
    const name = path.basename(dir);
    const extractor = (await pipeline("feature-extraction", name, { dtype: "fp32" })) as unknown as Extractor;
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
