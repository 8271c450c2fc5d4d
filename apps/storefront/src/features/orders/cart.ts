import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CartLineDto } from '@xiangbo/contracts';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { isApiError, type ApiClient } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { orderKeys, ordersApi } from './api';
import {
  addGuestItem,
  cartUnitCount,
  clearGuestCart,
  MAX_LINE_QUANTITY,
  mergeRequest,
  readGuestCart,
  removeGuestItem,
  setGuestQuantity,
  subscribeGuestCart,
  updateGuestCart,
  type GuestCartItem,
} from './guest-cart';

export const CART_QUERY_KEY = orderKeys.cart();

/** The guest cart in this browser (re-renders when it changes, here or in another tab). */
export function useGuestCart(): GuestCartItem[] {
  return useSyncExternalStore(subscribeGuestCart, readGuestCart, readGuestCart);
}

/**
 * The signed-in buyer's server cart (disabled while signed out). A guest cart still waiting to be merged is
 * merged first, so a page never shows the server cart without what the buyer added before signing in.
 */
export function useServerCart(enabled: boolean) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const userId = user?.id;
  return useQuery({
    queryKey: CART_QUERY_KEY,
    queryFn: async ({ signal }) => {
      if (userId) await mergeGuestCartOnce(client, userId, (lines) => queryClient.setQueryData(CART_QUERY_KEY, lines));
      return ordersApi.cart(client, signal);
    },
    enabled: enabled && Boolean(userId),
    staleTime: 30_000,
  });
}

// One merge per user at a time, whichever component asked first.
const merging = new Map<string, Promise<void>>();

/**
 * Merges a guest cart into the server cart once the visitor is signed in (POST /api/cart/merge, quantities add
 * up), then clears the local copy. A network failure keeps the local cart for the next try; a refusal (4xx)
 * drops it, so a broken item can never block the cart.
 */
export function mergeGuestCartOnce(
  client: ApiClient,
  userId: string,
  onMerged: (lines: CartLineDto[]) => void,
): Promise<void> {
  const items = readGuestCart();
  if (!items.length) return Promise.resolve();
  const running = merging.get(userId);
  if (running) return running;
  const p = ordersApi
    .mergeCart(client, mergeRequest(items).items)
    .then((lines) => {
      clearGuestCart();
      onMerged(lines);
    })
    .catch((e: unknown) => {
      if (isApiError(e) && e.status >= 400 && e.status < 500 && e.status !== 401) clearGuestCart();
    })
    .finally(() => merging.delete(userId));
  merging.set(userId, p);
  return p;
}

/** Watches the session: when someone signs in with a guest cart, it goes to their server cart. */
export function useGuestCartMerge(): void {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { status, user } = useAuth();
  const guest = useGuestCart();
  const userId = user?.id;
  useEffect(() => {
    if (status !== 'signedIn' || !userId || guest.length === 0) return;
    void mergeGuestCartOnce(client, userId, (lines) => queryClient.setQueryData(CART_QUERY_KEY, lines));
  }, [status, userId, guest, client, queryClient]);
}

/**
 * Units in the cart, for the tab bar badge: the server cart when signed in, the guest cart otherwise.
 * It also runs the guest-cart merge, so mounting the badge is enough to merge on sign in.
 */
export function useCartCount(): number {
  useGuestCartMerge();
  const { status } = useAuth();
  const guest = useGuestCart();
  const server = useServerCart(status === 'signedIn');
  if (status === 'signedIn') return cartUnitCount(server.data ?? []) + cartUnitCount(guest);
  return cartUnitCount(guest);
}

/** Cart changes that go to the server cart when signed in and to the guest cart otherwise. */
export function useCartActions() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { status } = useAuth();
  const signedIn = status === 'signedIn';

  const serverLines = useCallback(
    () =>
      queryClient.ensureQueryData({
        queryKey: CART_QUERY_KEY,
        queryFn: ({ signal }) => ordersApi.cart(client, signal),
      }),
    [client, queryClient],
  );
  const store = useCallback((lines: CartLineDto[]) => queryClient.setQueryData(CART_QUERY_KEY, lines), [queryClient]);

  /** Adds `quantity` to what is already in the cart, never past `max`. */
  const add = useCallback(
    async (productId: string, quantity: number, max = MAX_LINE_QUANTITY) => {
      if (!signedIn) {
        updateGuestCart((items) => addGuestItem(items, productId, quantity, max));
        return;
      }
      const existing = (await serverLines()).find((l) => l.productId === productId)?.quantity ?? 0;
      const next = Math.max(1, Math.min(existing + quantity, Math.max(max, 1), MAX_LINE_QUANTITY));
      store(
        await (existing
          ? ordersApi.setCartItem(client, productId, next)
          : ordersApi.addCartItem(client, productId, next)),
      );
    },
    [signedIn, serverLines, store, client],
  );

  const setQuantity = useCallback(
    async (productId: string, quantity: number) => {
      if (!signedIn) {
        updateGuestCart((items) => setGuestQuantity(items, productId, quantity));
        return;
      }
      store(await ordersApi.setCartItem(client, productId, quantity));
    },
    [signedIn, store, client],
  );

  const remove = useCallback(
    async (productId: string) => {
      if (!signedIn) {
        updateGuestCart((items) => removeGuestItem(items, productId));
        return;
      }
      store(await ordersApi.removeCartItem(client, productId));
    },
    [signedIn, store, client],
  );

  return { add, setQuantity, remove, signedIn };
}
