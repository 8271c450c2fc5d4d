import { countdown, dealIsOpen, dealLaunchProblems, dealRefusal } from './deals';

describe('flash deal rules', () => {
  const open = { status: 'open' as const, startsAt: 0, endsAt: 60_000, remaining: 10 };

  it('refuses a closed deal, a deal past its end, the cap, then sold out — in that order', () => {
    expect(dealRefusal({ ...open, status: 'closed' }, 1000, 1, 0, 2)).toBe('DEAL_CLOSED');
    expect(dealRefusal(open, 60_000, 1, 0, 2)).toBe('DEAL_CLOSED');
    expect(dealRefusal(open, 1000, 2, 1, 2)).toBe('CAP_REACHED');
    expect(dealRefusal({ ...open, remaining: 1 }, 1000, 2, 0, 5)).toBe('SOLD_OUT');
    expect(dealRefusal(open, 1000, 2, 0, 2)).toBeNull();
    expect(dealIsOpen(open, -1)).toBe(false);
  });

  it('checks a launch against the pinned product, its price and stock', () => {
    const ctx = { listPriceFen: 5900, stock: 100, pinned: true };
    expect(dealLaunchProblems({ priceFen: 3900, quantity: 50, perBuyerCap: 2, durationSeconds: 120 }, ctx)).toEqual([]);
    expect(
      dealLaunchProblems(
        { priceFen: 5900, quantity: 500, perBuyerCap: 600, durationSeconds: 5 },
        { ...ctx, pinned: false },
      ),
    ).toEqual(['NOT_PINNED', 'PRICE_NOT_BELOW_LIST', 'QUANTITY_ABOVE_STOCK', 'CAP_ABOVE_QUANTITY', 'BAD_DURATION']);
  });

  it('counts down in whole seconds and stops at zero', () => {
    expect(countdown(119_001, 0).label).toBe('02:00');
    expect(countdown(119_000, 0).label).toBe('01:59');
    expect(countdown(1000, 5000)).toEqual({ totalSeconds: 0, minutes: 0, seconds: 0, label: '00:00' });
  });
});
