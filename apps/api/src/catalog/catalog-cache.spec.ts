import { ResponseCache } from './catalog-cache';
import { weakEtag } from './serialized-json';

interface Answer {
  ids: string[];
  n: number;
}

/** A read whose completion the test controls, counting how often it was started. */
function controlledReads() {
  const started: { resolve: (v: Answer) => void; reject: (e: unknown) => void }[] = [];
  const read = () =>
    new Promise<Answer>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, read };
}

describe('ResponseCache (the catalogue answer cache)', () => {
  let now: number;
  const make = (ttlMs = 2000, maxEntries = 10) =>
    new ResponseCache<Answer>({ ttlMs, maxEntries, productIdsOf: (a) => a.ids, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('serves an answer until the TTL, counted from the start of its read, then reads again', async () => {
    const cache = make(2000);
    let reads = 0;
    const read = async () => ({ ids: ['a'], n: ++reads });
    expect((await cache.get('k', read)).n).toBe(1);
    now += 1999;
    expect((await cache.get('k', read)).n).toBe(1);
    now += 1;
    expect((await cache.get('k', read)).n).toBe(2);
    expect(reads).toBe(2);
  });

  it('shares one read among callers of the same key, and keeps keys apart', async () => {
    const cache = make();
    const { started, read } = controlledReads();
    const a = cache.get('k', read);
    const b = cache.get('k', read);
    const other = cache.get('other', read);
    expect(started).toHaveLength(2);
    started[0].resolve({ ids: [], n: 1 });
    started[1].resolve({ ids: [], n: 2 });
    expect(await a).toEqual({ ids: [], n: 1 });
    expect(await b).toBe(await a);
    expect((await other).n).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const cache = make();
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(cache.size).toBe(0);
    expect((await cache.get('k', async () => ({ ids: [], n: 7 }))).n).toBe(7);
  });

  it('drops the answers that show a changed product, and only those', async () => {
    const cache = make();
    let reads = 0;
    const read = (ids: string[]) => async () => ({ ids, n: ++reads });
    await cache.get('shows-p', read(['p', 'q']));
    await cache.get('shows-r', read(['r']));
    cache.invalidateProduct('p');
    expect((await cache.get('shows-p', read(['p', 'q']))).n).toBe(3);
    expect((await cache.get('shows-r', read(['r']))).n).toBe(2);
    cache.invalidateAll();
    expect((await cache.get('shows-r', read(['r']))).n).toBe(4);
  });

  it('hands a read that was under way at an invalidation to its waiters but does not keep it', async () => {
    const cache = make();
    const { started, read } = controlledReads();
    const before = cache.get('k', read);
    cache.invalidateProduct('p'); // the read started before the change: it may not show it
    const after = cache.get('k', read);
    expect(started).toHaveLength(2); // a caller after the change does not wait on the old read
    started[0].resolve({ ids: ['p'], n: 1 });
    started[1].resolve({ ids: ['p'], n: 2 });
    expect((await before).n).toBe(1);
    expect((await after).n).toBe(2);
    expect((await cache.get('k', read)).n).toBe(2); // the fresh read is the one kept
    expect(started).toHaveLength(2);
  });

  it('holds at most maxEntries keys, dropping the oldest', async () => {
    const cache = make(2000, 3);
    let reads = 0;
    const read = async () => ({ ids: [], n: ++reads });
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, read);
    expect(cache.size).toBe(3);
    expect((await cache.get('d', read)).n).toBe(4);
    expect((await cache.get('a', read)).n).toBe(5); // 'a' was dropped
  });

  it('reads every time with a TTL of 0 (cache off)', async () => {
    const cache = make(0);
    let reads = 0;
    const read = async () => ({ ids: [], n: ++reads });
    await cache.get('k', read);
    await cache.get('k', read);
    expect(reads).toBe(2);
    expect(cache.size).toBe(0);
  });
});

describe('weakEtag', () => {
  it('has the format of Express’s ETags, over the UTF-8 bytes', () => {
    // The value Express gives for this body (etag package, weak): length 0x2d bytes.
    expect(weakEtag('{"items":[],"total":0,"page":1,"pageSize":20}')).toBe('W/"2d-7BlAQ1Uv1UxYtqcAL+sWCBgxtyc"');
    expect(weakEtag('木耳')).toMatch(/^W\/"6-[A-Za-z0-9+/]{27}"$/);
  });
});
