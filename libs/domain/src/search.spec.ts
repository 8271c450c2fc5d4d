import fc from 'fast-check';
import { buildTsQuery, MAX_PINYIN_SPAN, MAX_QUERY_TOKENS, queryTokens, searchTokens } from './search';

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

describe('pinyin tokens (with a reading supplied by the caller)', () => {
  const TABLE: Record<string, string> = { 黑: 'hei', 木: 'mu', 耳: 'er', 目: 'mu', 香: 'xiang', 菇: 'gu', 姑: 'gu' };
  const pinyinOf = (han: string) => [...han].map((c) => TABLE[c] ?? c);

  it('indexes every span of syllables in full and spans of 2+ by initials', () => {
    const tokens = searchTokens('黑木耳', pinyinOf);
    expect(tokens).toEqual(expect.arrayContaining(['hei', 'heimu', 'heimuer', 'mu', 'muer', 'er', 'hm', 'hme', 'me']));
    expect(tokens).not.toContain('h'); // a single initial would match everything
    expect(searchTokens('黑木耳')).not.toContain('muer'); // only with a reading
  });

  it('romanises nothing of a run with a character it cannot read', () => {
    expect(searchTokens('黑龘', pinyinOf).filter((t) => /^[a-z]+$/.test(t))).toEqual([]);
  });

  it('bounds the spans: a long run gives spans of at most MAX_PINYIN_SPAN syllables', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...Object.keys(TABLE)), { minLength: 1, maxLength: 20 }), (chars) => {
        const tokens = searchTokens(chars.join(''), pinyinOf);
        const syllables = chars.map((c) => TABLE[c]);
        // every span up to the bound is there, in full and (2+) by initials
        for (let i = 0; i < syllables.length; i++)
          for (let j = i; j < Math.min(syllables.length, i + MAX_PINYIN_SPAN); j++) {
            expect(tokens).toContain(syllables.slice(i, j + 1).join(''));
            if (j > i)
              expect(tokens).toContain(
                syllables
                  .slice(i, j + 1)
                  .map((s) => s[0])
                  .join(''),
              );
          }
        // …and nothing longer: at most 2 tokens per (start, length ≤ bound), however long the name
        const latin = tokens.filter((t) => /^[a-z]+$/.test(t));
        expect(latin.length).toBeLessThanOrEqual(2 * syllables.length * MAX_PINYIN_SPAN);
        if (syllables.length > MAX_PINYIN_SPAN)
          expect(latin).not.toContain(syllables.slice(0, MAX_PINYIN_SPAN + 1).join(''));
      }),
      { numRuns: 200 },
    );
  });

  it('matches a homophone typo by sound, and keeps Latin words as prefixes', () => {
    expect(buildTsQuery('香姑', pinyinOf)).toBe("('香姑') | ('xianggu')");
    expect(buildTsQuery('黑目耳 500g', pinyinOf)).toBe("('黑目' & '目耳' & '500g':*) | ('heimu' & 'muer' & '500g':*)");
    expect(buildTsQuery('木', pinyinOf)).toBe("'木'"); // one character by sound would find 目, 母, 牧…
    expect(buildTsQuery('木 香姑', pinyinOf)).toBe("('木' & '香姑') | ('木' & 'xianggu')");
    expect(buildTsQuery('muer', pinyinOf)).toBe("'muer':*");
    // A character without a reading: no branch by sound.
    expect(buildTsQuery('黑龘', pinyinOf)).toBe(buildTsQuery('黑龘'));
  });
});
