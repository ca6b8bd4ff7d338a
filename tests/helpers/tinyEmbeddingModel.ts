/**
 * Writes a tiny sentence-embedding model in the layout transformers.js loads from
 * a local directory (config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model.onnx), so the TransformersEmbedder's loading code runs for real in
 * tests with no download. The model is a BERT-style WordPiece tokenizer over a
 * small vocabulary and one ONNX node: an embedding lookup (Gather) producing
 * `last_hidden_state`. Mean pooling over it, done by the pipeline, gives texts that
 * share words similar vectors. The ONNX protobuf is encoded here by hand: a few
 * message types, no dependency.
 */
import fs from "node:fs";
import path from "node:path";
import { mulberry32 } from "../../server/assistant/intents/linear.ts";

export const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const WORDS = (
  "a an the my i you to how do can is are what of for in on with and or me it " +
  "card cards debit credit freeze unfreeze lost stolen block limit pin " +
  "loan loans mortgage home auto personal rate rates interest repay " +
  "deposit savings account accounts open transfer balance fee fees branch hours"
).split(" ");
const LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789".split("");

// ---- protobuf wire format (only what ONNX's ModelProto needs here)

export function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
export const key = (field: number, wire: number) => varint((field << 3) | wire);
export const int = (field: number, n: number) => Buffer.from([...key(field, 0), ...varint(n)]);
export const bytes = (field: number, b: Uint8Array) => Buffer.concat([Buffer.from([...key(field, 2), ...varint(b.length)]), b]);
export const str = (field: number, s: string) => bytes(field, Buffer.from(s, "utf8"));
export const msg = (field: number, ...parts: Buffer[]) => bytes(field, Buffer.concat(parts));

export const FLOAT = 1;
export const INT64 = 7;

/** ValueInfoProto for a tensor with symbolic (string) or fixed (number) dimensions. */
export function valueInfo(field: number, name: string, elemType: number, dims: Array<string | number>) {
  const shape = dims.map((d) => msg(1, typeof d === "number" ? int(1, d) : str(2, d)));
  return msg(field, str(1, name), msg(2, msg(1, int(1, elemType), msg(2, ...shape))));
}

function onnxModel(vocabSize: number, hidden: number, weights: Float32Array): Buffer {
  const initializer = msg(5, int(1, vocabSize), int(1, hidden), int(2, FLOAT), str(8, "embeddings"), bytes(9, Buffer.from(weights.buffer)));
  const gather = msg(1, str(1, "embeddings"), str(1, "input_ids"), str(2, "last_hidden_state"), str(3, "lookup"), str(4, "Gather"));
  const graph = msg(
    7,
    gather,
    str(2, "tiny-embedder"),
    initializer,
    valueInfo(11, "input_ids", INT64, ["batch", "sequence"]),
    valueInfo(12, "last_hidden_state", FLOAT, ["batch", "sequence", hidden]),
  );
  return Buffer.concat([int(1, 8), str(2, "bankdesk-tests"), graph, msg(8, str(1, ""), int(2, 13))]);
}

/** Writes the model into `dir` (created); returns its vocabulary size and width. */
export function writeTinyEmbeddingModel(dir: string, opts: { hidden?: number; seed?: number } = {}): { hidden: number; vocabSize: number } {
  const hidden = opts.hidden ?? 16;
  const tokens = [...SPECIAL, ...WORDS, ...LETTERS, ...LETTERS.map((l) => `##${l}`)];
  const rand = mulberry32(opts.seed ?? 7);
  const weights = new Float32Array(tokens.length * hidden);
  for (let i = 0; i < weights.length; i++) weights[i] = rand() * 2 - 1;

  fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
  fs.writeFileSync(path.join(dir, "onnx/model.onnx"), onnxModel(tokens.length, hidden, weights));
  fs.writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertModel"],
      hidden_size: hidden,
      vocab_size: tokens.length,
      max_position_embeddings: 128,
    }),
  );
  writeWordPieceTokenizer(dir, tokens);
  return { hidden, vocabSize: tokens.length };
}

/** A BERT WordPiece tokenizer over `tokens` (the first five are the special tokens, as SPECIAL), lower-casing, CJK characters split. */
export function writeWordPieceTokenizer(dir: string, tokens: string[]): void {
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const id = (t: string) => vocab[t]!;
  fs.writeFileSync(
    path.join(dir, "tokenizer_config.json"),
    JSON.stringify({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      model_max_length: 128,
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      mask_token: "[MASK]",
    }),
  );
  fs.writeFileSync(
    path.join(dir, "tokenizer.json"),
    JSON.stringify({
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map((content) => ({
        id: id(content),
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: { type: "BertProcessing", sep: ["[SEP]", id("[SEP]")], cls: ["[CLS]", id("[CLS]")] },
      decoder: { type: "WordPiece", prefix: "##", cleanup: true },
      model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
    }),
  );
}
