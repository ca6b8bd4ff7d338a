import type { Config } from "../../config.ts";

/** Whether an OpenAI-compatible chat model is configured (a model, and a server or a key); the model itself: chatModel.ts. */
export function chatModelConfigured(config: Pick<Config, "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_MODEL">): boolean {
  return Boolean(config.OPENAI_MODEL && (config.OPENAI_BASE_URL || config.OPENAI_API_KEY));
}
