/**
 * Writes a tiny sequence-classification model (negative / neutral / positive) in the
 * layout transformers.js loads from a local directory, so that the local sentiment
 * model's loading and reading code runs for real in tests with no download. The graph
 * is an embedding lookup of one logit triple per token (Gather) summed over the
 * sequence (ReduceSum) into `logits`; padding and the special tokens have zero rows,
 * so batching does not change a text's reading. Words and characters carry a class by
 * construction: this tests the plumbing, not a model's judgement.
 */
import fs from "node:fs";
import path from "node:path";
import { bytes, FLOAT, INT64, int, msg, SPECIAL, str, valueInfo, writeWordPieceTokenizer } from "./tinyEmbeddingModel.ts";

const NEGATIVE = "terrible awful furious angry worst useless scam 差 烂 气 骗 投 诉".split(" ");
const POSITIVE = "thanks thank great love helpful excellent 谢 棒 赞".split(" ");
const NEUTRAL =
  "a the my i you to how do can is what of for in on it me card freeze lost pin limit account 我 的 卡 怎 么 办 冻 结 了 太 这 服 务".split(
    " ",
  );

/** The logits one token adds: a sentiment word outweighs a few neutral ones. */
function row(token: string): [number, number, number] {
  if (NEGATIVE.includes(token)) return [3, 0, 0];
  if (POSITIVE.includes(token)) return [0, 0, 3];
  if (SPECIAL.includes(token) && token !== "[UNK]") return [0, 0, 0];
  return [0, 0.5, 0];
}

function onnxModel(weights: Float32Array, vocabSize: number): Buffer {
  const table = msg(5, int(1, vocabSize), int(1, 3), int(2, FLOAT), str(8, "token_logits"), bytes(9, Buffer.from(weights.buffer)));
  const axes = msg(5, int(1, 1), int(2, INT64), str(8, "sequence_axis"), bytes(9, Buffer.from(new BigInt64Array([1n]).buffer)));
  const gather = msg(1, str(1, "token_logits"), str(1, "input_ids"), str(2, "per_token"), str(3, "lookup"), str(4, "Gather"));
  // AttributeProto keepdims=0: name (1), i (3), type (20) = INT (2).
  const keepdims = msg(5, str(1, "keepdims"), int(3, 0), int(20, 2));
  const sum = msg(1, str(1, "per_token"), str(1, "sequence_axis"), str(2, "logits"), str(3, "sum"), str(4, "ReduceSum"), keepdims);
  const graph = msg(
    7,
    gather,
    sum,
    str(2, "tiny-sentiment"),
    table,
    axes,
    valueInfo(11, "input_ids", INT64, ["batch", "sequence"]),
    valueInfo(12, "logits", FLOAT, ["batch", 3]),
  );
  return Buffer.concat([int(1, 8), str(2, "bankdesk-tests"), graph, msg(8, str(1, ""), int(2, 13))]);
}

/** Writes the model into `dir` (created). `labels` replaces the class names (to test a model whose labels are not sentiment). */
export function writeTinySentimentModel(dir: string, opts: { labels?: [string, string, string] } = {}): void {
  const tokens = [...SPECIAL, ...NEGATIVE, ...POSITIVE, ...NEUTRAL];
  const weights = new Float32Array(tokens.flatMap(row));
  const labels = opts.labels ?? ["negative", "neutral", "positive"];
  fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
  fs.writeFileSync(path.join(dir, "onnx/model.onnx"), onnxModel(weights, tokens.length));
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertForSequenceClassification"],
      vocab_size: tokens.length,
      max_position_embeddings: 128,
      id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
      label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    }),
  );
  writeWordPieceTokenizer(dir, tokens);
}
