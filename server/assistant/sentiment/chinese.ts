/**
 * Chinese text handling for the sentiment analyzer: traditional characters folded to
 * simplified with OpenCC's tables (opencc-js, Apache-2.0), and word segmentation with
 * jieba (@node-rs/jieba, MIT) and the dictionary its package ships. Both load from
 * node_modules on first use — nothing is downloaded — so a process that never sees
 * Chinese never pays for them (jieba's dictionary takes about 0.4 s to load).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Jieba } from "@node-rs/jieba";
import * as OpenCC from "opencc-js/t2cn";

const HAN = /\p{Script=Han}/u;

let jieba: Jieba | undefined;
let t2s: ((text: string) => string) | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@node-rs/jieba/package.json"));
    jieba = Jieba.withDict(fs.readFileSync(path.join(dir, "dict.txt")));
  }
  return jieba;
}

/**
 * Characters that OpenCC changes on their own, found once by converting the whole
 * CJK block: a text with none of them is already simplified and skips the converter
 * (two-thirds of the analyzer's time on Chinese reviews went to it otherwise).
 */
let traditional: Set<string> | undefined;

function converter(): { convert: (text: string) => string; chars: Set<string> } {
  const convert = (t2s ??= OpenCC.Converter({ from: "t", to: "cn" }));
  if (!traditional) {
    traditional = new Set();
    let block = "";
    for (let cp = 0x3400; cp <= 0x9fff; cp++) block += String.fromCodePoint(cp);
    const out = convert(block);
    const a = [...block];
    const b = [...out];
    if (a.length === b.length) for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) traditional.add(a[i]!);
  }
  return { convert, chars: traditional };
}

/** Traditional → simplified (Taiwan and Hong Kong variants too); text without Han characters is returned as is. */
export function toSimplifiedChinese(text: string): string {
  if (!HAN.test(text)) return text;
  const { convert, chars } = converter();
  for (const ch of text) if (chars.has(ch)) return convert(text);
  return text;
}

/** Words of a run of Chinese text (jieba's default mode, with its HMM for unknown words). */
export function segmentChinese(text: string): string[] {
  return segmenter().cut(text, true);
}
