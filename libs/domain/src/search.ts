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

/** Tokens to index for a text: lower-cased words, and the unigrams and bigrams of every Han run. Unique, in order. */
export function searchTokens(text: string): string[] {
  const seen = new Set<string>();
  for (const run of runs(text)) {
    if (!run.han) {
      seen.add(run.text);
      continue;
    }
    const chars = [...run.text];
    for (const c of chars) seen.add(c);
    for (const b of bigrams(chars)) seen.add(b);
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
 * The text for `to_tsquery('simple', $1)` (always a bound parameter), or null when the query has no
 * searchable token (only punctuation or operators like "&|!"), in which case there is nothing to filter on.
 */
export function buildTsQuery(q: string): string | null {
  const tokens = queryTokens(q);
  if (tokens.length === 0) return null;
  return tokens.map((t) => (t.prefix ? `${quote(t.token)}:*` : quote(t.token))).join(' & ');
}
