/**
 * LangChain's OpenAI client. Imported only where a model is used (LlmGenerator and
 * agent assistance, each loaded on demand), never by what merely asks whether one is
 * configured (chatModelConfigured.ts): LangChain and OpenAI's SDK are about 70 MB of
 * a process's memory (idle RSS, `npm run bench -- message-path`).
 */
import { ChatOpenAI } from "@langchain/openai";
import type { Config } from "../../config.ts";

/** Reasoning models (o1…, gpt-5) accept only their default temperature. */
const REASONING_MODEL = /^(o\d|gpt-5(?!-chat))/;

/** The configured OpenAI-compatible chat model (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL). */
export function chatModel(
  config: Pick<Config, "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_MODEL">,
  opts: { temperature: number; timeoutMs: number; maxRetries: number; streaming?: boolean },
): ChatOpenAI {
  if (!config.OPENAI_MODEL) throw new Error("OPENAI_MODEL is required for a language model");
  return new ChatOpenAI({
    model: config.OPENAI_MODEL,
    // Local servers (Ollama, vLLM) need no key, but the client wants one.
    apiKey: config.OPENAI_API_KEY ?? "not-needed",
    configuration: { baseURL: config.OPENAI_BASE_URL },
    ...(REASONING_MODEL.test(config.OPENAI_MODEL) ? {} : { temperature: opts.temperature }),
    timeout: opts.timeoutMs,
    maxRetries: opts.maxRetries,
    streaming: opts.streaming ?? false,
    // stream_options is not understood by every compatible server.
    streamUsage: false,
  });
}
