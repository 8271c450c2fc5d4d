import fc from 'fast-check';
import type { LiveViewState, ViewPatch } from './coalesce';

/** Test fixtures shared by the coalescing and delivery specs. */
export const baseView: LiveViewState = {
  status: 'live',
  pin: null,
  deal: null,
  viewers: 0,
  likes: 0,
  slowModeSeconds: 0,
  chat: [],
};

/** A random change of a show, as the hub receives them. */
export const viewChange: fc.Arbitrary<ViewPatch> = fc.record(
  {
    at: fc.integer({ min: 0, max: 1000 }),
    viewers: fc.integer({ min: 0, max: 99 }),
    likes: fc.integer({ min: 0, max: 99 }),
    stock: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 50 })),
    chat: fc.array(fc.record({ id: fc.uuid() }), { maxLength: 3 }),
    pin: fc.option(fc.record({ productId: fc.constantFrom('a', 'b'), stock: fc.integer({ min: 0, max: 50 }) })),
  },
  { requiredKeys: ['at'] },
) as fc.Arbitrary<ViewPatch>;
