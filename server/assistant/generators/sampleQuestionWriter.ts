import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Config } from "../../config.ts";
import type { QuestionWriter } from "../../commands/suggestSampleQuestions.ts";
import { chatModel } from "./chatModel.ts";
import { chatModelConfigured } from "./chatModelConfigured.ts";
import { contentText } from "./LlmGenerator.ts";
import { parseModelJson } from "./parseModelJson.ts";

const PROMPT_FILE = "sample-questions.md";
const PLACEHOLDERS = ["{{count}}", "{{language}}", "{{title}}", "{{heading}}", "{{section}}"];
const LANGUAGE: Record<string, string> = {
  en: "English",
  "zh-CN": "simplified Chinese, as mainland customers write it",
  "zh-TW": "traditional Chinese, as customers in Taiwan and Hong Kong write it",
};
const Questions = z.array(z.string().trim().min(1).max(300)).min(1).max(50);

/**
 * The configured chat model as a writer of sample questions (`kb suggest-questions`):
 * PROMPTS_DIR/sample-questions.md filled in with the section, a JSON array of
 * strings back. The article text is the bank's own published content; it is fenced
 * so that it cannot close the prompt's sections.
 */
export function sampleQuestionWriter(
  config: Pick<Config, "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_MODEL" | "PROMPTS_DIR">,
): QuestionWriter {
  if (!chatModelConfigured(config)) {
    throw new Error("suggesting sample questions needs a language model: set OPENAI_MODEL and OPENAI_BASE_URL (or OPENAI_API_KEY)");
  }
  const file = path.join(config.PROMPTS_DIR, PROMPT_FILE);
  let template: string;
  try {
    template = fs.readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`prompt file ${file} is missing: restore it or point PROMPTS_DIR at a folder that has it`);
  }
  for (const p of PLACEHOLDERS) if (!template.includes(p)) throw new Error(`${file} must contain the placeholder ${p}`);
  const model = chatModel(config, { temperature: 0.7, timeoutMs: 60_000, maxRetries: 2 });
  return async (section, count) => {
    const values: Record<string, string> = {
      count: String(count),
      language: LANGUAGE[section.locale] ?? section.locale,
      title: fence(section.title),
      heading: fence(section.heading),
      section: fence(section.text),
    };
    const prompt = template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
    const reply = await model.invoke(prompt);
    return parseQuestions(contentText(reply.content)).slice(0, count);
  };
}

/** The model's JSON array of questions (a Markdown code fence around it tolerated). */
export function parseQuestions(text: string): string[] {
  return parseModelJson(text, Questions, "the model did not answer with a JSON array of questions");
}

/** Keeps the article's text from closing the prompt's tagged sections. */
function fence(s: string): string {
  return s.replace(/<\s*\/?\s*(article_title|section_heading|section)\s*>/gi, "($1)");
}
