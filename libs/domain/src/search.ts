/**
 * Chinese full-text search without database extensions.
 *
 * PostgreSQL has no Chinese word splitter here, so the catalogue indexes overlapping character bigrams
 * (plus single characters) of every Han run, and lower-cased words for everything else. A query for
 * "黑木耳" becomes its bigrams 黑木 & 木耳, which every document containing "黑木耳" has; a single
 * character is looked up as a unigram. The API stores `to_tsvector('simple', searchTokens(...).join(' '))`
 * and queries `to_tsquery('simple', buildTsQuery(q))`.
 */

const HAN = /\p{Script=Han}/u;
/** Characters that are part of a non-Han word: letters and digits of any script. */
const WORD = /[\p{L}\p{N}]/u;

/** At most this many tokens from one query (a pasted paragraph must not become a giant query). */
export const MAX_QUERY_TOKENS = 24;

type Run = { han: boolean; text: string };

function runs(text: string): Run[] {
  const out: Run[] = [];
  let current: Run | null = null;
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    const han = HAN.test(ch);
    if (!han && !WORD.test(ch)) {
      current = null;
      continue;
    }
    if (current && current.han === han) current.text += ch;
    else {
      current = { han, text: ch };
      out.push(current);
    }
  }
  return out;
}

function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/**
 * The toneless, lower-case pinyin of a run of Han characters, one syllable per character (e.g. 黑木耳 →
 * ['hei', 'mu', 'er']). The API supplies it (pinyin-pro, with our place names' readings); the domain stays free of
 * the dictionary so the storefront never bundles it.
 */
export type PinyinOf = (han: string) => string[];

/** Longest run of syllables indexed as one pinyin token ("heimuer" is 3; a 20-character name is not 20). */
export const MAX_PINYIN_SPAN = 6;

/** Only a-z syllables (a dictionary may leave a rare character as itself): anything else is not romanised. */
const SYLLABLE = /^[a-z]+$/;

/**
 * Pinyin tokens of one Han run: every contiguous span of up to MAX_PINYIN_SPAN syllables in full ("mu", "muer",
 * "heimuer"), and every span of 2+ by its initials ("me", "hme"), so a buyer typing muer, heimuer or hme finds 黑木耳.
 */
function pinyinSpans(chars: string[], pinyinOf: PinyinOf, into: Set<string>): void {
  const syllables = pinyinOf(chars.join(''));
  if (syllables.length !== chars.length || !syllables.every((s) => SYLLABLE.test(s))) return;
  for (let i = 0; i < syllables.length; i++) {
    let full = '';
    let initials = '';
    for (let j = i; j < Math.min(syllables.length, i + MAX_PINYIN_SPAN); j++) {
      full += syllables[j];
      initials += syllables[j][0];
      into.add(full);
      if (j > i) into.add(initials);
    }
  }
}

/**
 * Tokens to index for a text: lower-cased words, and the unigrams and bigrams of every Han run; with `pinyinOf`,
 * also the pinyin spans of every Han run (full and initials). Unique, in order.
 */
export function searchTokens(text: string, pinyinOf?: PinyinOf): string[] {
  const seen = new Set<string>();
  for (const run of runs(text)) {
    if (!run.han) {
      seen.add(run.text);
      continue;
    }
    const chars = [...run.text];
    for (const c of chars) seen.add(c);
    for (const b of bigrams(chars)) seen.add(b);
    if (pinyinOf) pinyinSpans(chars, pinyinOf, seen);
  }
  return [...seen];
}

export interface QueryToken {
  token: string;
  /** Latin/digit words match as prefixes ("mush" finds "mushroom"); Han tokens match exactly. */
  prefix: boolean;
}

/** Tokens that must all match for a query: bigrams of each Han run of length ≥ 2, the character of a single-Han run, words. */
export function queryTokens(q: string): QueryToken[] {
  const seen = new Map<string, QueryToken>();
  for (const run of runs(q)) {
    if (!run.han) {
      if (!seen.has(run.text)) seen.set(run.text, { token: run.text, prefix: true });
      continue;
    }
    const chars = [...run.text];
    const tokens = chars.length === 1 ? chars : bigrams(chars);
    for (const t of tokens) if (!seen.has(t)) seen.set(t, { token: t, prefix: false });
  }
  return [...seen.values()].slice(0, MAX_QUERY_TOKENS);
}

/** A quoted tsquery lexeme: tokens only hold letters and digits, but quote and escape anyway. */
function quote(token: string): string {
  return `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The query's tokens with every Han run read as pinyin instead (bigrams of syllables, like the Han bigrams), for
 * a name typed with the wrong character of the right sound (黑目耳 for 黑木耳, 香姑 for 香菇). Null when the query
 * has no Han run of two or more characters, or a character without a reading.
 */
export function pinyinQueryTokens(q: string, pinyinOf: PinyinOf): QueryToken[] | null {
  const seen = new Map<string, QueryToken>();
  let han = false;
  let bySound = false;
  for (const run of runs(q)) {
    if (!run.han) {
      if (!seen.has(run.text)) seen.set(run.text, { token: run.text, prefix: true });
      continue;
    }
    han = true;
    const chars = [...run.text];
    const syllables = pinyinOf(run.text);
    if (syllables.length !== chars.length || !syllables.every((s) => SYLLABLE.test(s))) return null;
    // A single character stays itself: by sound alone (木 → mu) it would also find 牧, 目, 母…
    const tokens = syllables.length === 1 ? chars : bigrams(syllables);
    if (syllables.length > 1) bySound = true;
    for (const t of tokens) if (!seen.has(t)) seen.set(t, { token: t, prefix: false });
  }
  return han && bySound ? [...seen.values()].slice(0, MAX_QUERY_TOKENS) : null;
}

const conjunction = (tokens: QueryToken[]) =>
  tokens.map((t) => (t.prefix ? `${quote(t.token)}:*` : quote(t.token))).join(' & ');

/**
 * The text for `to_tsquery('simple', $1)` (always a bound parameter), or null when the query has no
 * searchable token (only punctuation or operators like "&|!"), in which case there is nothing to filter on.
 * With `pinyinOf` (and a document indexed with it), a query with Han also matches by sound: `(Han) | (pinyin)`.
 * Latin words always match as prefixes, so "muer", "heimuer" and the initials "me" find 黑木耳 in the pinyin index.
 */
export function buildTsQuery(q: string, pinyinOf?: PinyinOf): string | null {
  const tokens = queryTokens(q);
  if (tokens.length === 0) return null;
  const exact = conjunction(tokens);
  const bySound = pinyinOf ? pinyinQueryTokens(q, pinyinOf) : null;
  return bySound ? `(${exact}) | (${conjunction(bySound)})` : exact;
}
