import type { PinyinOf } from '@xiangbo/domain';

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;
const SYLLABLE = /^[a-z]+$/;

/** [start, end) in characters (code points) of the name: what the search box shows in bold. */
export type Range = [number, number];

/**
 * Which characters of a suggested name matched what the buyer typed, the way the search matched them: a Han run of
 * the query where the name has it (else its bigrams, else its sound: 黑目耳 for 黑木耳); a Latin word as the
 * pinyin of consecutive characters in full, a prefix of it ("heim" → 黑木), or their initials ("hme" → 黑木耳); a
 * Latin word in the name itself. Sorted, merged ranges; empty when nothing can be pointed at.
 */
export function highlightName(name: string, q: string, pinyinOf: PinyinOf): Range[] {
  const chars = [...name];
  const lower = chars.map((c) => c.normalize('NFKC').toLowerCase());
  const syllables = readings(chars, pinyinOf);
  const ranges: Range[] = [];
  for (const word of queryWords(q)) {
    if (HAN.test(word)) {
      const found = occurrences(lower, [...word]);
      if (found.length) ranges.push(...found);
      else {
        const w = [...word];
        const before = ranges.length;
        for (let i = 0; i + 1 < w.length; i++) ranges.push(...occurrences(lower, [w[i], w[i + 1]]));
        // No character of it: the same sound (黑目耳 → heimuer → 黑木耳).
        const sound = pinyinOf(word);
        if (
          ranges.length === before &&
          w.length > 1 &&
          sound.length === w.length &&
          sound.every((x) => SYLLABLE.test(x))
        )
          ranges.push(...pinyinSpans(syllables, sound.join('')));
      }
      continue;
    }
    ranges.push(...latinInName(lower, word), ...pinyinSpans(syllables, word));
  }
  return merge(ranges);
}

/** The query's words: Han runs and Latin/digit runs, lower-cased (as the search reads them). */
function queryWords(q: string): string[] {
  const out: string[] = [];
  let cur = '';
  let curHan = false;
  for (const ch of q.normalize('NFKC').toLowerCase()) {
    const han = HAN.test(ch);
    if (!han && !WORD.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    if (cur && curHan !== han) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
    curHan = han;
  }
  if (cur) out.push(cur);
  return out.slice(0, 8);
}

/** Each character's toneless pinyin, or null for a character that is not Han (or has no a-z reading). */
function readings(chars: string[], pinyinOf: PinyinOf): (string | null)[] {
  const out: (string | null)[] = chars.map(() => null);
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) return;
    const run = chars.slice(start, end);
    const syl = pinyinOf(run.join(''));
    if (syl.length === run.length) syl.forEach((s, k) => (out[start + k] = SYLLABLE.test(s) ? s : null));
    start = -1;
  };
  chars.forEach((c, i) => {
    if (HAN.test(c)) {
      if (start < 0) start = i;
    } else flush(i);
  });
  flush(chars.length);
  return out;
}

function occurrences(hay: string[], needle: string[]): Range[] {
  const out: Range[] = [];
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (needle.every((c, k) => hay[i + k] === c)) out.push([i, i + needle.length]);
  return out;
}

/** A Latin word typed as the start of a Latin word of the name ("5kg", "dao"). */
function latinInName(lower: string[], word: string): Range[] {
  const out: Range[] = [];
  const w = [...word];
  for (let i = 0; i + w.length <= lower.length; i++) {
    if (i > 0 && WORD.test(lower[i - 1]) && !HAN.test(lower[i - 1])) continue; // only at a word's start
    if (w.every((c, k) => lower[i + k] === c)) out.push([i, i + w.length]);
  }
  return out;
}

/**
 * A Latin word as pinyin of consecutive Han characters: the syllables in full, the last one possibly cut short
 * ("heim" → 黑木), or one initial per character ("hme" → 黑木耳). The first span found from each start.
 */
function pinyinSpans(syl: (string | null)[], word: string): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < syl.length; i++) {
    if (!syl[i]) continue;
    let full = '';
    let initials = '';
    for (let j = i; j < syl.length && syl[j]; j++) {
      const s = syl[j] as string;
      full += s;
      initials += s[0];
      if (full.startsWith(word) || initials === word) {
        out.push([i, j + 1]);
        break;
      }
      if (!word.startsWith(full) && !word.startsWith(initials)) break;
    }
  }
  return out;
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
