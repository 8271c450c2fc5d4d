import type { EntityManager } from 'typeorm';
import { type OfferHooks, OrderHooks } from '../orders/order-hooks';

/** Orders reaches a group seat or a flash deal by the offer id on the line: each id to the kind that owns it. */
describe('OrderHooks with two kinds of offer (flash deal + group seat)', () => {
  const m = {} as EntityManager;
  const kind = (name: string, owned: Set<string> | null) => {
    const calls: string[] = [];
    const hooks: OfferHooks = {
      terms: async (_m, id) => {
        calls.push(`terms:${id}`);
        return { productId: name, unitPriceFen: 1, perBuyerCap: null, showId: null };
      },
      reserve: async (_m, id, want) => {
        calls.push(`reserve:${id}`);
        return { taken: want, left: 0 };
      },
      release: async (_m, id) => void calls.push(`release:${id}`),
      refusal: () => new Error(`${name} refusal`),
      ...(owned
        ? {
            owns: async (_m: EntityManager, id: string) => {
              calls.push(`owns:${id}`);
              return owned.has(id);
            },
          }
        : {}),
    };
    return { hooks, calls };
  };

  it('sends each id to its owner, asks once per id, and leaves the rest to the default kind', async () => {
    const deal = kind('deal', null);
    const seat = kind('seat', new Set(['s1']));
    const registry = new OrderHooks();
    registry.registerOffer('group-buy', seat.hooks); // registration order does not matter
    registry.registerOffer('flash-deal', deal.hooks);
    const hooks = registry.offerHooks();
    expect((await hooks.terms(m, 's1')).productId).toBe('seat');
    expect((await hooks.terms(m, 'd1')).productId).toBe('deal');
    await hooks.reserve(m, 's1', 2);
    await hooks.release(m, 'd1', 1);
    expect(seat.calls).toEqual(['owns:s1', 'terms:s1', 'owns:d1', 'reserve:s1']);
    expect(deal.calls).toEqual(['terms:d1', 'release:d1']);
    // A refusal names no offer: the default kind's words.
    expect(hooks.refusal('SOLD_OUT', { cap: null, available: 0 }).message).toBe('deal refusal');
    // Hooks a kind lacks answer nothing.
    expect(await hooks.mayShip?.(m, 'd1', 'o1')).toBeNull();
  });

  it('with one kind its own hooks answer, and a second default kind or the same kind twice is refused', () => {
    const registry = new OrderHooks();
    const deal = kind('deal', null);
    registry.registerOffer('flash-deal', deal.hooks);
    expect(registry.offerHooks()).toBe(deal.hooks);
    expect(() => registry.registerOffer('coupon', kind('coupon', null).hooks)).toThrow(/owns/);
    expect(() => registry.registerOffer('flash-deal', kind('x', new Set()).hooks)).toThrow(/already/);
  });

  it('an id no kind owns, with no default kind, is a programming error', async () => {
    const registry = new OrderHooks();
    registry.registerOffer('group-buy', kind('seat', new Set(['s1'])).hooks);
    registry.registerOffer('coupon', kind('coupon', new Set(['c1'])).hooks);
    await expect(registry.offerHooks().terms(m, 'x')).rejects.toThrow(/no offer kind owns/);
  });
});
