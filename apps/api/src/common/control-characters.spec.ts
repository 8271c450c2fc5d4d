import { ControlCharactersPipe, findControlCharacter } from './control-characters';

describe('the control-character rule', () => {
  it('refuses NUL anywhere, naming the field by its path', () => {
    expect(findControlCharacter({ displayName: 'a\u0000b' }, 'body')).toBe('displayName');
    expect(findControlCharacter({ story: 'x\u0000' }, 'body')).toBe('story');
    expect(findControlCharacter({ items: [{ productId: 'p' }, { note: '\u0000' }] }, 'body')).toBe('items.1.note');
    expect(findControlCharacter({ q: '\u0000' }, 'query')).toBe('q');
    expect(findControlCharacter({ region: ['ok', '\u0000'] }, 'query')).toBe('region.1');
  });

  it('allows tab, line feed and carriage return only in multi-line body fields', () => {
    expect(findControlCharacter({ story: '第一行\r\n第二行\t完' }, 'body')).toBeNull();
    expect(findControlCharacter({ descriptionZh: '产地：\n柞水' }, 'body')).toBeNull();
    expect(findControlCharacter({ reason: '破损\n' }, 'body')).toBeNull();
    expect(findControlCharacter({ displayName: '王\n小明' }, 'body')).toBe('displayName');
    expect(findControlCharacter({ contactPhone: '138\t0013' }, 'body')).toBe('contactPhone');
    expect(findControlCharacter({ q: '木耳\n' }, 'query')).toBe('q');
  });

  it('refuses the other C0 controls and DEL even in multi-line fields', () => {
    for (const c of ['\u0001', '\u0007', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f'])
      expect(findControlCharacter({ story: `a${c}b` }, 'body')).toBe('story');
  });

  it('checks keys too, and passes ordinary text, numbers, emoji and nested objects', () => {
    expect(findControlCharacter({ 'a\u0000': 1 }, 'body')).toBe('a?');
    expect(
      findControlCharacter(
        { name: '柞水木耳 🍄', price: 5900, tags: ['有机'], address: { detail: '文三路 100 号' } },
        'body',
      ),
    ).toBeNull();
    expect(findControlCharacter(undefined, 'body')).toBeNull();
  });

  it('as a pipe: names a route param and lets header/custom arguments through', () => {
    const pipe = new ControlCharactersPipe();
    expect(() => pipe.transform('abc\u0000', { type: 'param', data: 'id' })).toThrow(/^id: must not contain/);
    expect(() => pipe.transform({ story: '\u0000' }, { type: 'body' })).toThrow(/^story:/);
    expect(pipe.transform('t=1,v1=x', { type: 'custom' })).toBe('t=1,v1=x');
    expect(pipe.transform('ok', { type: 'query', data: 'q' })).toBe('ok');
  });
});
