import { buildTsQuery, searchTokens } from '@xiangbo/domain';
import { pinyinOf } from './pinyin';

describe('pinyin for the catalogue search', () => {
  it('reads words in context, place names as the villagers say them, ü as v', () => {
    expect(pinyinOf('黑木耳')).toEqual(['hei', 'mu', 'er']);
    expect(pinyinOf('重庆')).toEqual(['chong', 'qing']);
    expect(pinyinOf('柞水县')).toEqual(['zuo', 'shui', 'xian']);
    expect(pinyinOf('绿豆')).toEqual(['lv', 'dou']);
  });

  it('indexes a name so that muer, heimuer and the initials me / hme are tokens of it', () => {
    const tokens = searchTokens('柞水黑木耳', pinyinOf);
    for (const t of ['muer', 'heimuer', 'me', 'hme', 'zuoshui', 'zs', 'zuoshuiheimuer']) expect(tokens).toContain(t);
  });

  it('queries Han by characters or by sound, so a homophone typo still finds the product', () => {
    expect(buildTsQuery('黑目耳', pinyinOf)).toBe("('黑目' & '目耳') | ('heimu' & 'muer')");
    // Latin words need no pinyin: they are prefixes into the pinyin index already.
    expect(buildTsQuery('muer', pinyinOf)).toBe("'muer':*");
  });
});
