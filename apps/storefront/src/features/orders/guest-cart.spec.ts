import { ApiClient } from '../../api/client';
import { apiError, fakeApi, json, session } from '../../test/helpers';
import { mergeGuestCartOnce } from './cart';
import {
  addGuestItem,
  cartUnitCount,
  GUEST_CART_KEY,
  MAX_GUEST_LINES,
  mergeRequest,
  parseGuestCart,
  readGuestCart,
  removeGuestItem,
  setGuestQuantity,
  updateGuestCart,
} from './guest-cart';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

beforeEach(() => localStorage.clear());

describe('guest cart storage', () => {
  it('keeps only well-formed lines from whatever the browser holds, adding up duplicates', () => {
    expect(parseGuestCart(null)).toEqual([]);
    expect(parseGuestCart('not json')).toEqual([]);
    expect(parseGuestCart('{"productId":"x"}')).toEqual([]);
    const raw = JSON.stringify([
      { productId: A, quantity: 2 },
      { productId: 'not-a-uuid', quantity: 1 },
      { productId: B, quantity: 0 },
      { productId: B, quantity: '3' },
      { productId: A, quantity: 3.7 },
      null,
    ]);
    expect(parseGuestCart(raw)).toEqual([{ productId: A, quantity: 5 }]);
  });

  it('adds to an existing line, never past the stock or the API limit of 999', () => {
    let items = addGuestItem([], A, 2, 10);
    items = addGuestItem(items, A, 5, 10);
    expect(items).toEqual([{ productId: A, quantity: 7 }]);
    items = addGuestItem(items, A, 50, 10);
    expect(items).toEqual([{ productId: A, quantity: 10 }]);
    items = addGuestItem(items, B, 5000);
    expect(items[1]).toEqual({ productId: B, quantity: 999 });
  });

  it('changes and removes lines; a quantity below 1 removes the line', () => {
    const items = [
      { productId: A, quantity: 2 },
      { productId: B, quantity: 1 },
    ];
    expect(setGuestQuantity(items, A, 4)).toEqual([
      { productId: A, quantity: 4 },
      { productId: B, quantity: 1 },
    ]);
    expect(setGuestQuantity(items, A, 0)).toEqual([{ productId: B, quantity: 1 }]);
    expect(removeGuestItem(items, B)).toEqual([{ productId: A, quantity: 2 }]);
    expect(cartUnitCount(items)).toBe(3);
  });

  it('stores under xiangbo.cart and reads back the same array while nothing changed', () => {
    updateGuestCart((items) => addGuestItem(items, A, 3));
    expect(JSON.parse(localStorage.getItem(GUEST_CART_KEY) ?? '[]')).toEqual([{ productId: A, quantity: 3 }]);
    expect(readGuestCart()).toBe(readGuestCart());
    updateGuestCart((items) => removeGuestItem(items, A));
    expect(localStorage.getItem(GUEST_CART_KEY)).toBeNull();
    expect(readGuestCart()).toEqual([]);
  });

  it('never sends more lines than the merge endpoint accepts', () => {
    const many = Array.from({ length: MAX_GUEST_LINES + 5 }, (_, i) => ({
      productId: `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`,
      quantity: 1,
    }));
    expect(mergeRequest(many).items).toHaveLength(MAX_GUEST_LINES);
  });
});

describe('merging the guest cart on sign in', () => {
  function signedInClient(routes: Parameters<typeof fakeApi>[0]) {
    const api = fakeApi(routes);
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session());
    return { api, client };
  }
  const serverLines = [{ productId: A, quantity: 5 }];

  it('posts the guest cart once, hands over the merged lines and clears the local copy', async () => {
    localStorage.setItem(GUEST_CART_KEY, JSON.stringify([{ productId: A, quantity: 2 }]));
    const { api, client } = signedInClient({ 'POST /api/cart/merge': () => json(200, serverLines) });
    const merged: unknown[] = [];
    // Two components asking at the same time share one request.
    await Promise.all([
      mergeGuestCartOnce(client, 'u-1', (l) => merged.push(l)),
      mergeGuestCartOnce(client, 'u-1', (l) => merged.push(l)),
    ]);

    expect(api.count('POST /api/cart/merge')).toBe(1);
    expect(JSON.parse(String(api.calls[0]?.init.body))).toEqual({ items: [{ productId: A, quantity: 2 }] });
    expect(merged).toEqual([serverLines]);
    expect(localStorage.getItem(GUEST_CART_KEY)).toBeNull();

    // Nothing left to merge: no further request.
    await mergeGuestCartOnce(client, 'u-1', () => undefined);
    expect(api.count('POST /api/cart/merge')).toBe(1);
  });

  it('keeps the guest cart when the network fails, so the next sign in can merge it', async () => {
    localStorage.setItem(GUEST_CART_KEY, JSON.stringify([{ productId: A, quantity: 2 }]));
    const client = new ApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    client.setSession(session());
    await mergeGuestCartOnce(client, 'u-1', () => undefined);
    expect(parseGuestCart(localStorage.getItem(GUEST_CART_KEY))).toEqual([{ productId: A, quantity: 2 }]);
  });

  it('drops a guest cart the server refuses, so it cannot block the cart forever', async () => {
    localStorage.setItem(GUEST_CART_KEY, JSON.stringify([{ productId: B, quantity: 1 }]));
    const { client } = signedInClient({ 'POST /api/cart/merge': () => apiError(400, 'VALIDATION_FAILED') });
    await mergeGuestCartOnce(client, 'u-1', () => undefined);
    expect(localStorage.getItem(GUEST_CART_KEY)).toBeNull();
  });
});
