/**
 * Typo correction for English words against the classifier's own vocabulary
 * (symmetric-delete method, as in SymSpell): a word the training examples never
 * use is replaced by the most frequent known word within one edit — insertion,
 * deletion, substitution or transposition of adjacent letters ("balnace" →
 * "balance", "crad" → "card", "stolne" → "stolen").
 *
 * Only unknown words are corrected, and conservatively, because an unknown word is
 * more often a real word the examples happen not to use ("most", "sold", "kind")
 * than a typo, and turning it into "lost", "hold" or "find" would drag an
 * unrelated message toward an intent. So: swapped neighbours (the commonest
 * typing slip) from four letters; a missing or extra letter from five letters;
 * a wrong letter from six; and, except for swaps, never in the first letter.
 * The original spelling still contributes its character n-grams.
 */

const MIN_LENGTH = 4;
const MIN_LENGTH_INDEL = 5;
const MIN_LENGTH_SUBSTITUTION = 6;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

export class SpellCorrector {
  private readonly freq = new Map<string, number>();
  /** Single-deletion variant → known words that produce it. */
  private readonly index = new Map<string, string[]>();

  /** `words`: known (normalised, unstemmed) words, repeated as often as they occur. */
  constructor(words: Iterable<string>) {
    for (const w of words) {
      if (!/^[a-z]+$/.test(w)) continue;
      this.freq.set(w, (this.freq.get(w) ?? 0) + 1);
    }
    for (const w of this.freq.keys()) {
      if (w.length < MIN_LENGTH - 1) continue;
      for (const d of new Set(deletions(w))) {
        const list = this.index.get(d);
        if (list) list.push(w);
        else this.index.set(d, [w]);
      }
    }
  }

  known(word: string): boolean {
    return this.freq.has(word);
  }

  /** The correction for an unknown word, or undefined when it is known or nothing is close. */
  correct(word: string): string | undefined {
    if (word.length < MIN_LENGTH || this.freq.has(word) || !/^[a-z]+$/.test(word)) return undefined;
    const candidates = new Set<string>();
    const sameStart = (w: string) => w[0] === word[0];
    const dels = deletions(word);
    if (word.length >= MIN_LENGTH_INDEL) {
      // The query has one extra letter: one of its deletions is a known word.
      for (const d of dels) if (this.freq.has(d) && sameStart(d)) candidates.add(d);
      // The query lacks a letter: it is a deletion variant of a known word.
      for (const w of this.index.get(word) ?? []) if (sameStart(w)) candidates.add(w);
    }
    // Substitution or transposition: both share a deletion variant.
    for (const d of dels) {
      for (const w of this.index.get(d) ?? []) {
        if (w.length !== word.length || candidates.has(w)) continue;
        let diff = 0;
        for (let j = 0; j < w.length; j++) if (w[j] !== word[j]) diff++;
        const swapped =
          diff === 2 && [...w].some((ch, j) => j + 1 < w.length && ch !== word[j] && ch === word[j + 1] && w[j + 1] === word[j]);
        if (swapped || (diff === 1 && word.length >= MIN_LENGTH_SUBSTITUTION && sameStart(w))) candidates.add(w);
      }
    }
    let best: string | undefined;
    let bestFreq = 0;
    for (const c of candidates) {
      const f = this.freq.get(c)!;
      if (f > bestFreq || (f === bestFreq && best !== undefined && c < best)) [best, bestFreq] = [c, f];
    }
    return best;
  }
}
