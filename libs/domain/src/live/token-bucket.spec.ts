import fc from 'fast-check';
import { takeTokens, type TokenBucketState } from './token-bucket';

describe('token bucket', () => {
  const cfg = { capacity: 5, refillPerSecond: 0.5 };

  it('lets a burst of `capacity` through, then refuses with the time until the next token', () => {
    let s: TokenBucketState | undefined;
    for (let i = 0; i < 5; i++) {
      const r = takeTokens(s, cfg, 1000);
      expect(r.ok).toBe(true);
      s = r.state;
    }
    const refused = takeTokens(s, cfg, 1000);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.retryAfterMs).toBe(2000);
    expect(takeTokens(refused.state, cfg, 3000).ok).toBe(true);
  });

  it('never refills above capacity and never goes negative', () => {
    const r = takeTokens({ tokens: 0, at: 0 }, cfg, 1_000_000);
    expect(r.state.tokens).toBe(4);
  });

  it('property: over any schedule, accepted ≤ capacity + elapsed × rate', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        let s: TokenBucketState | undefined;
        let now = 0;
        let accepted = 0;
        for (const g of gaps) {
          now += g;
          const r = takeTokens(s, cfg, now);
          s = r.state;
          if (r.ok) accepted++;
          expect(r.state.tokens).toBeGreaterThanOrEqual(0);
        }
        expect(accepted).toBeLessThanOrEqual(cfg.capacity + (now * cfg.refillPerSecond) / 1000 + 1e-9);
      }),
    );
  });
});
