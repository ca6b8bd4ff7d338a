import type { Config } from "../../config.ts";
import type { Embedder } from "./Embedder.ts";
import { HashingEmbedder } from "./HashingEmbedder.ts";

/** The embedder chosen by EMBEDDER (offline by default). */
export async function createEmbedder(config: Pick<Config, "EMBEDDER" | "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_EMBEDDING_MODEL" | "TRANSFORMERS_MODEL_DIR" | "TRANSFORMERS_ALLOW_REMOTE">): Promise<Embedder> {
  switch (config.EMBEDDER) {
    case "offline":
      return new HashingEmbedder();
    case "openai": {
      const { OpenAIEmbedder } = await import("./OpenAIEmbedder.ts");
      return OpenAIEmbedder.create({
        baseURL: config.OPENAI_BASE_URL,
        apiKey: config.OPENAI_API_KEY,
        model: config.OPENAI_EMBEDDING_MODEL ?? "text-embedding-3-small",
      });
    }
    case "transformers": {
      if (!config.TRANSFORMERS_MODEL_DIR) throw new Error("EMBEDDER=transformers needs TRANSFORMERS_MODEL_DIR (a local model directory)");
      const { TransformersEmbedder } = await import("./TransformersEmbedder.ts");
      return TransformersEmbedder.create({ modelDir: config.TRANSFORMERS_MODEL_DIR, allowRemote: config.TRANSFORMERS_ALLOW_REMOTE });
    }
  }
}
