import fc from 'fast-check';
import { applyPatch, type LiveViewState, type ViewPatch } from './coalesce';
import { baseView, viewChange } from './view.fixtures';
import { RollingDelivery } from './rolling';

const base = baseView;

describe('rolling delivery in slices', () => {
  it('sends a change to every slice, then folds what changes within the interval into one patch per slice', () => {
    const d = new RollingDelivery<ViewPatch>(3, 100);
    d.add('s', { at: 1, viewers: 1 });
    const first = [d.take(0), d.take(0), d.take(0)];
    expect(first.map((x) => ('target' in x ? x.target : null))).toEqual([0, 1, 2]);
    expect(d.take(0)).toEqual({ wakeAt: null });

    d.add('s', { at: 10, viewers: 2 });
    d.add('s', { at: 20, stock: { a: 5 } });
    expect(d.take(50)).toEqual({ wakeAt: 100 }); // every slice was sent at 0: not before 100
    const second = [d.take(100), d.take(100), d.take(100)];
    for (const x of second) expect('patch' in x && x.patch).toEqual({ at: 20, viewers: 2, stock: { a: 5 } });
    expect(d.take(100)).toEqual({ wakeAt: null });
  });

  it('under load each slice is sent in turn; a change waits at most one round, not for a whole broadcast to end', () => {
    // 10 slices, each send costs 30 ms: a round is 300 ms, longer than the 100-ms interval.
    const d = new RollingDelivery<ViewPatch>(10, 100);
    let now = 0;
    const seenAt = new Map<number, number[]>(); // change time → when each slice got it
    const changes: number[] = [];
    let nextChange = 0;
    while (now < 5000) {
      while (nextChange <= now) {
        d.add('s', { at: nextChange, viewers: nextChange });
        changes.push(nextChange);
        nextChange += 100; // 10 changes a second, as in the benchmark
      }
      const x = d.take(now);
      if ('patch' in x) {
        for (const c of changes)
          if (c <= x.patch.at && !(seenAt.get(c)?.[x.target] ?? 0)) {
            const list = seenAt.get(c) ?? new Array(10).fill(0);
            list[x.target] = now + 30;
            seenAt.set(c, list);
          }
        now += 30;
      } else now = Math.max(now + 1, Math.min(nextChange, x.wakeAt ?? nextChange));
    }
    const latencies = [...seenAt].filter(([c]) => c < 4500).flatMap(([c, at]) => at.map((t) => t - c));
    expect(latencies.every((l) => l > 0)).toBe(true);
    // a round (300 ms) plus the send itself, never two rounds
    expect(Math.max(...latencies)).toBeLessThanOrEqual(330);
  });

  it('only targets with someone to send to get the change', () => {
    const d = new RollingDelivery<ViewPatch>(4, 100);
    d.add('s', { at: 1, viewers: 1 }, (k) => k === 2);
    expect(d.take(0)).toMatchObject({ target: 2 });
    expect(d.take(0)).toEqual({ wakeAt: null });
  });

  it('shows take turns', () => {
    const d = new RollingDelivery<ViewPatch>(2, 0);
    d.add('a', { at: 1, viewers: 1 });
    d.add('b', { at: 1, viewers: 1 });
    const order = [d.take(0), d.take(0), d.take(0), d.take(0)].map((x) => ('showId' in x ? x.showId : null));
    expect(order).toEqual(['a', 'b', 'a', 'b']);
  });

  it('drainAll sends everything pending at once; forget drops a show', () => {
    const d = new RollingDelivery<ViewPatch>(2, 1000);
    d.add('a', { at: 1, viewers: 1 });
    d.take(0);
    d.add('a', { at: 2, viewers: 2 });
    expect(d.drainAll(5).map((x) => [x.target, x.patch.viewers])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    d.add('b', { at: 3, likes: 1 });
    d.forget('b');
    expect(d.take(10_000)).toEqual({ wakeAt: null });
  });

  it('refuses nonsense settings', () => {
    expect(() => new RollingDelivery(0, 100)).toThrow(RangeError);
    expect(() => new RollingDelivery(2, -1)).toThrow(RangeError);
    expect(() => new RollingDelivery(2, 100, 0)).toThrow(RangeError);
  });

  it('leading edge: at low load each change goes out at once; only past `burst` per interval do changes wait and fold', () => {
    const d = new RollingDelivery<ViewPatch>(2, 100, 3);
    // a pin and an order 20 ms apart, then another 30 ms later: each sent at once to both slices
    for (const at of [0, 20, 50]) {
      d.add('s', { at, viewers: at });
      const sent = [d.take(at), d.take(at)];
      expect(sent.map((x) => ('patch' in x ? x.patch.viewers : null))).toEqual([at, at]);
    }
    // a fourth change within the same 100 ms: both slices had 3 sends since 0 → it waits until 100 and folds
    d.add('s', { at: 60, viewers: 60 });
    d.add('s', { at: 70, stock: { a: 1 } });
    expect(d.take(70)).toEqual({ wakeAt: 100 });
    const folded = [d.take(100), d.take(100)];
    for (const x of folded) expect('patch' in x && x.patch).toEqual({ at: 70, viewers: 60, stock: { a: 1 } });
    // quiet again: the next change goes at once
    d.add('s', { at: 400, viewers: 400 });
    expect(d.take(400)).toMatchObject({ patch: { viewers: 400 } });
  });

  it('property: every slice ends with the state of applying every change one by one, never more than `burst` sends within the interval', () => {
    const change = viewChange;
    const step = fc.oneof(
      fc.record({ kind: fc.constant('change' as const), change }),
      fc.record({ kind: fc.constant('send' as const), cost: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 150 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(step, { maxLength: 60 }),
        (targets, burst, steps) => {
          const d = new RollingDelivery<ViewPatch>(targets, 100, burst);
          const views = new Array(targets).fill(base) as LiveViewState[];
          const sends = Array.from({ length: targets }, () => [] as number[]);
          let truth = base;
          let now = 0;
          const send = (x: { target: number; patch: ViewPatch }) => {
            // never more than `burst` sends to one target within any 100 ms
            const recent = sends[x.target].filter((t) => now - t < 100);
            expect(recent.length).toBeLessThan(burst);
            sends[x.target].push(now);
            views[x.target] = applyPatch(views[x.target], x.patch);
          };
          for (const s of steps) {
            if (s.kind === 'change') {
              d.add('show', s.change as ViewPatch);
              truth = applyPatch(truth, s.change as ViewPatch);
            } else if (s.kind === 'wait') now += s.ms;
            else {
              const x = d.take(now);
              if ('patch' in x) send(x);
              now += s.cost;
            }
          }
          // then run until nothing is pending, honouring the wake-up times
          for (;;) {
            const x = d.take(now);
            if ('patch' in x) send(x);
            else if (x.wakeAt === null) break;
            else now = x.wakeAt;
          }
          for (const v of views) {
            expect(v.viewers).toEqual(truth.viewers);
            expect(v.pin).toEqual(truth.pin);
            expect(v.chat.map((m) => m.id)).toEqual(truth.chat.map((m) => m.id));
          }
        },
      ),
    );
  });

  it('property (leading edge): a change to a target that got nothing within the interval is sent at its first take', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 30 }),
        (burst, gaps) => {
          const d = new RollingDelivery<ViewPatch>(1, 100, burst);
          const sends: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            // drain what is due before the change (folded changes waiting for their turn)
            for (let x = d.take(now); 'patch' in x; x = d.take(now)) sends.push(now);
            const quiet = sends.filter((t) => now - t < 100).length < burst;
            d.add('s', { at: now, viewers: now });
            const x = d.take(now);
            if (quiet) expect(x).toMatchObject({ target: 0, patch: { viewers: now } });
            if ('patch' in x) sends.push(now);
          }
        },
      ),
    );
  });
});
