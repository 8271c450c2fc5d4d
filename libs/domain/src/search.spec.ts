import fc from 'fast-check';
import { buildTsQuery, MAX_QUERY_TOKENS, queryTokens, searchTokens } from './search';

describe('search tokens (CJK bigrams)', () => {
  it('indexes Han runs as unigrams and bigrams, and other words lower-cased', () => {
    expect(searchTokens('柞水木耳 Black Fungus')).toEqual([
      '柞',
      '水',
      '木',
      '耳',
      '柞水',
      '水木',
      '木耳',
      'black',
      'fungus',
    ]);
  });

  it('splits on punctuation and spaces, Chinese or not, and removes duplicates', () => {
    expect(searchTokens('木耳，木耳！ 辣椒')).toEqual(['木', '耳', '木耳', '辣', '椒', '辣椒']);
    expect(searchTokens('')).toEqual([]);
    expect(searchTokens('  ，。!?  ')).toEqual([]);
  });

  it('normalises full-width letters and digits (NFKC)', () => {
    expect(searchTokens('ＡＢＣ１２３')).toEqual(['abc123']);
  });

  it('queries a Han run of 2+ by its bigrams and a single character by itself', () => {
    expect(queryTokens('黑木耳').map((t) => t.token)).toEqual(['黑木', '木耳']);
    expect(queryTokens('耳').map((t) => t.token)).toEqual(['耳']);
    expect(queryTokens('木耳 辣椒').map((t) => t.token)).toEqual(['木耳', '辣椒']);
    expect(queryTokens('Tea').map((t) => t)).toEqual([{ token: 'tea', prefix: true }]);
  });

  it('turns operators and quotes into nothing: the tsquery text only holds quoted lexemes', () => {
    expect(buildTsQuery("木耳' OR 1=1 --")).toBe("'木耳' & 'or':* & '1':*");
    expect(buildTsQuery('&|!')).toBeNull();
    expect(buildTsQuery("'); DROP TABLE products; --")).toBe("'drop':* & 'table':* & 'products':*");
  });

  it('caps the number of query tokens', () => {
    const long = '一二三四五六七八九十'.repeat(10);
    expect(queryTokens(long).length).toBeLessThanOrEqual(MAX_QUERY_TOKENS);
  });

  it('property: every query token of a text is among the text’s index tokens (a text always finds itself)', () => {
    const han = fc.constantFrom(...'木耳辣椒茶叶金米村柞水黑香菇猫爪草马铃薯');
    const piece = fc.oneof(han, fc.constantFrom('a', 'B', '1', ' ', '，', '-', "'", '&'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const index = new Set(searchTokens(text));
        for (const t of queryTokens(text)) expect(index.has(t.token)).toBe(true);
      }),
    );
  });

  it('property: a substring of a document is found in it (Han only)', () => {
    const han = fc.constantFrom(...'木耳辣椒茶叶金米村柞水黑香菇');
    fc.assert(
      fc.property(fc.array(han, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const doc = chars.join('');
        const start = a % chars.length;
        const end = start + 1 + (b % (chars.length - start));
        const q = chars.slice(start, end).join('');
        const index = new Set(searchTokens(doc));
        for (const t of queryTokens(q)) expect(index.has(t.token)).toBe(true);
      }),
    );
  });

  it('property: the tsquery text never contains an unquoted operator character', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (q) => {
        const ts = buildTsQuery(q);
        if (ts === null) return;
        // Remove the quoted lexemes; what is left must be only the joins and prefix marks.
        const rest = ts.replace(/'(?:[^']|'')*'/g, '');
        expect(rest).toMatch(/^(?:(?::\*)?(?: & )?)*$/);
      }),
    );
  });
});
