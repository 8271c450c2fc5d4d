import { highlightName } from './suggest-highlight';
import { pinyinOf } from './pinyin';

/** What the search box shows in bold under what the buyer typed: the characters the search matched. */
describe('highlightName', () => {
  const hl = (name: string, q: string) =>
    highlightName(name, q, pinyinOf).map(([a, b]) => [...name].slice(a, b).join(''));

  it('points at the Chinese the buyer typed, or at its bigrams for a wrong character of the right sound', () => {
    expect(hl('柞水黑木耳 250g', '木耳')).toEqual(['木耳']);
    expect(hl('秦岭黑木耳', '黑目耳')).toEqual(['黑木耳']); // no bigram of 黑目耳 is in the name: by its sound
    expect(hl('秦岭黑木耳', '秦岭 木耳')).toEqual(['秦岭', '木耳']);
    expect(hl('阜南朝天椒', '朝天焦')).toEqual(['朝天']);
  });

  it('reads pinyin in full, as a prefix, and by initials', () => {
    expect(hl('柞水黑木耳', 'muer')).toEqual(['木耳']);
    expect(hl('柞水黑木耳', 'heimuer')).toEqual(['黑木耳']);
    expect(hl('柞水黑木耳', 'heim')).toEqual(['黑木']);
    expect(hl('柞水黑木耳', 'hme')).toEqual(['黑木耳']);
    expect(hl('柞水黑木耳', 'me')).toEqual(['木耳']);
    expect(hl('柞水黑木耳', 'zuoshui')).toEqual(['柞水']); // the place's own reading
    expect(hl('阜南朝天椒', 'la')).toEqual([]); // matched elsewhere (the category), nothing to point at here
  });

  it('points at Latin words of the name and merges what overlaps; odd input points at nothing', () => {
    expect(hl('Gala 苹果 5kg', 'gala')).toEqual(['Gala']);
    expect(hl('苹果 5kg', '5k')).toEqual(['5k']);
    expect(hl('黑木耳', 'hei heimu')).toEqual(['黑木']);
    expect(highlightName('黑木耳', '&|!', pinyinOf)).toEqual([]);
    expect(highlightName('', 'muer', pinyinOf)).toEqual([]);
  });
});
