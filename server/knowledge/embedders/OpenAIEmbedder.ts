import OpenAI from "openai";
import { l2normalize, type Embedder } from "./Embedder.ts";

/**
 * Any OpenAI-compatible embeddings API (OpenAI, Azure OpenAI, Ollama, vLLM, TEI).
 * The dimension is learned from one probe call at start.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    readonly dimensions: number,
  ) {
    this.id = `openai:${model}:${dimensions}`;
  }

  static async create(opts: { baseURL?: string; apiKey?: string; model: string }): Promise<OpenAIEmbedder> {
    const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey ?? "not-needed", maxRetries: 3, timeout: 30_000 });
    const probe = await client.embeddings.create({ model: opts.model, input: ["dimension probe"] });
    return new OpenAIEmbedder(client, opts.model, probe.data[0]!.embedding.length);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const r = await this.client.embeddings.create({ model: this.model, input: texts });
    return r.data.sort((a, b) => a.index - b.index).map((d) => l2normalize(Float32Array.from(d.embedding)));
  }
}
