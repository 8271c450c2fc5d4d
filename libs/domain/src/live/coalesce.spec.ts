import fc from 'fast-check';
import { applyPatch, mergePatch, PatchBuffer, patchesAfter, type ViewPatch } from './coalesce';
import { baseView, viewChange } from './view.fixtures';

const base = baseView;

describe('coalescing live updates', () => {
  it('folds a tick of changes into one patch: last value wins, lists append, stock maps merge', () => {
    const buf = new PatchBuffer<ViewPatch>();
    buf.add('s1', { at: 5, pin: { productId: 'a', stock: 9 } });
    buf.add('s1', { at: 6, stock: { a: 8 } });
    buf.add('s1', { at: 7, stock: { a: 7, b: 3 }, chat: [{ id: 'm1' }] });
    buf.add('s1', { at: 8, chat: [{ id: 'm2' }], viewers: 10 });
    buf.add('s2', { at: 9, viewers: 1 });
    const out = new Map(buf.drain());
    expect(buf.size).toBe(0);
    expect(out.get('s1')).toEqual({
      at: 8,
      pin: { productId: 'a', stock: 9 },
      stock: { a: 7, b: 3 },
      chat: [{ id: 'm1' }, { id: 'm2' }],
      viewers: 10,
    });
    expect(out.get('s2')).toEqual({ at: 9, viewers: 1 });
  });

  it('a message deleted within the tick is never sent', () => {
    const p = mergePatch<ViewPatch>({ at: 1, chat: [{ id: 'm1' }, { id: 'm2' }] }, { at: 2, chatDeleted: ['m1'] });
    expect(p.chat).toEqual([{ id: 'm2' }]);
  });

  it('property: applying the coalesced patch = applying every change one by one', () => {
    const change = viewChange;
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 20 }), (changes) => {
        const oneByOne = changes.reduce((s, c) => applyPatch(s, c as ViewPatch), base);
        const merged = changes.reduce<ViewPatch | undefined>(
          (acc, c) => mergePatch(acc, c as ViewPatch),
          undefined,
        ) as ViewPatch;
        const coalesced = applyPatch(base, merged);
        expect(coalesced.viewers).toEqual(oneByOne.viewers);
        expect(coalesced.likes).toEqual(oneByOne.likes);
        expect(coalesced.chat).toEqual(oneByOne.chat);
        expect(coalesced.pin).toEqual(oneByOne.pin);
      }),
    );
  });

  it('applies the patches that may be newer than the joined state', () => {
    expect(patchesAfter([{ at: 1 }, { at: 5 }, { at: 9 }], 5)).toEqual([{ at: 5 }, { at: 9 }]);
    const s = applyPatch(
      { ...base, pin: { productId: 'a', stock: 5 } },
      { at: 1, stock: { a: 4 }, chat: [{ id: 'x' }] },
    );
    expect(s.pin).toEqual({ productId: 'a', stock: 4 });
    expect(applyPatch(s, { at: 2, chat: [{ id: 'x' }], chatDeleted: [] }).chat).toEqual([{ id: 'x' }]);
  });
});
