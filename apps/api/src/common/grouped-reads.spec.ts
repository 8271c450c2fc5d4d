import { GroupedReads } from './grouped-reads';

/** A read whose answers the test releases by hand, recording the keys of each call. */
function controlledRead() {
  const calls: { keys: string[]; answer(m: Map<string, number>): void; fail(e: Error): void }[] = [];
  const read = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => calls.push({ keys, answer: resolve, fail: reject }));
  return { calls, read };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupedReads', () => {
  it('reads the callers of one turn together, and those arriving during a read in the next one', async () => {
    const { calls, read } = controlledRead();
    const reads = new GroupedReads(read, () => -1);
    const a = reads.load('a');
    const b = reads.load('b');
    await tick();
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b']]);

    // arrive while the first read runs: not answered from it, even for a key it holds
    const a2 = reads.load('a');
    const c = reads.load('c');
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].answer(new Map([['a', 1]]));
    await expect(a).resolves.toBe(1);
    await expect(b).resolves.toBe(-1); // not found → missing()
    await tick();
    expect(calls.map((x) => x.keys)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
    calls[1].answer(
      new Map([
        ['a', 10],
        ['c', 3],
      ]),
    );
    await expect(a2).resolves.toBe(10);
    await expect(c).resolves.toBe(3);
    expect(reads.stats).toEqual({ reads: 2, keys: 4 });
  });

  it('answers every caller of one key, and a failed read fails only its own callers', async () => {
    const { calls, read } = controlledRead();
    const reads = new GroupedReads(read, () => 0);
    const x1 = reads.load('x');
    const x2 = reads.load('x');
    await tick();
    const y = reads.load('y');
    calls[0].fail(new Error('connection lost'));
    await expect(x1).rejects.toThrow('connection lost');
    await expect(x2).rejects.toThrow('connection lost');
    await tick();
    calls[1].answer(new Map([['y', 7]]));
    await expect(y).resolves.toBe(7);
  });

  it('splits more keys than one read may hold', async () => {
    const { calls, read } = controlledRead();
    const reads = new GroupedReads(read, () => 0, 2);
    const all = ['a', 'b', 'c'].map((k) => reads.load(k));
    await tick();
    expect(calls[0].keys).toEqual(['a', 'b']);
    calls[0].answer(new Map());
    await tick();
    expect(calls[1].keys).toEqual(['c']);
    calls[1].answer(new Map([['c', 5]]));
    await expect(Promise.all(all)).resolves.toEqual([0, 0, 5]);
  });
});
