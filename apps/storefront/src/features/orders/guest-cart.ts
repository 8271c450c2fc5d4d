/**
 * The guest cart: what a signed-out visitor put in the cart, kept in this browser's localStorage under
 * `xiangbo.cart` as `[{ productId, quantity }]`. Pure functions plus a tiny store for useSyncExternalStore;
 * on sign in the items are merged into the server cart (see cart.ts) and the local copy is cleared.
 */
export const GUEST_CART_KEY = 'xiangbo.cart';
/** The API's limits: at most 999 of one product, at most 100 lines in one merge. */
export const MAX_LINE_QUANTITY = 999;
export const MAX_GUEST_LINES = 100;

export interface GuestCartItem {
  productId: string;
  quantity: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const clampQuantity = (n: number, max = MAX_LINE_QUANTITY) =>
  Math.max(1, Math.min(Math.floor(n), max, MAX_LINE_QUANTITY));

/**
 * Reads what is stored, tolerating anything a browser may hold (old formats, hand edits, another app):
 * keeps only well-formed lines, adds up duplicates, caps quantities, and never throws.
 */
export function parseGuestCart(raw: string | null): GuestCartItem[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: GuestCartItem[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { productId, quantity } = entry as Record<string, unknown>;
    if (typeof productId !== 'string' || !UUID.test(productId)) continue;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity < 1) continue;
    const existing = out.find((i) => i.productId === productId);
    if (existing) existing.quantity = clampQuantity(existing.quantity + quantity);
    else if (out.length < MAX_GUEST_LINES) out.push({ productId, quantity: clampQuantity(quantity) });
  }
  return out;
}

/** Adds `quantity` to a line (creating it), never past `max` (the stock) or the API's 999. */
export function addGuestItem(
  items: readonly GuestCartItem[],
  productId: string,
  quantity: number,
  max = MAX_LINE_QUANTITY,
): GuestCartItem[] {
  const existing = items.find((i) => i.productId === productId);
  if (existing) {
    return items.map((i) =>
      i.productId === productId ? { ...i, quantity: clampQuantity(i.quantity + quantity, Math.max(max, 1)) } : i,
    );
  }
  if (items.length >= MAX_GUEST_LINES) return [...items];
  return [...items, { productId, quantity: clampQuantity(quantity, Math.max(max, 1)) }];
}

export function setGuestQuantity(
  items: readonly GuestCartItem[],
  productId: string,
  quantity: number,
): GuestCartItem[] {
  if (quantity < 1) return removeGuestItem(items, productId);
  return items.map((i) => (i.productId === productId ? { ...i, quantity: clampQuantity(quantity) } : i));
}

export function removeGuestItem(items: readonly GuestCartItem[], productId: string): GuestCartItem[] {
  return items.filter((i) => i.productId !== productId);
}

/** Units in the cart (what the tab bar badge shows). */
export function cartUnitCount(items: readonly { quantity: number }[]): number {
  return items.reduce((n, i) => n + i.quantity, 0);
}

/** The body of POST /api/cart/merge for what is stored (already valid and within the API's limits). */
export function mergeRequest(items: readonly GuestCartItem[]): { items: GuestCartItem[] } {
  return {
    items: items
      .slice(0, MAX_GUEST_LINES)
      .map(({ productId, quantity }) => ({ productId, quantity: clampQuantity(quantity) })),
  };
}

// ---- the store --------------------------------------------------------------------------------------------

type Listener = () => void;
const listeners = new Set<Listener>();
let cachedRaw: string | null | undefined;
let cachedItems: GuestCartItem[] = [];

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (private mode, blocked cookies)
  }
}

function readRaw(): string | null {
  try {
    return storage()?.getItem(GUEST_CART_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The stored items; the same array while nothing changed (useSyncExternalStore needs a stable snapshot). */
export function readGuestCart(): GuestCartItem[] {
  const raw = readRaw();
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedItems = parseGuestCart(raw);
  }
  return cachedItems;
}

export function writeGuestCart(items: readonly GuestCartItem[]): void {
  try {
    const s = storage();
    if (items.length) s?.setItem(GUEST_CART_KEY, JSON.stringify(items));
    else s?.removeItem(GUEST_CART_KEY);
  } catch {
    // Full or disabled storage: the cart simply is not kept.
  }
  for (const l of listeners) l();
}

export function clearGuestCart(): void {
  writeGuestCart([]);
}

export function updateGuestCart(change: (items: GuestCartItem[]) => GuestCartItem[]): void {
  writeGuestCart(change(readGuestCart()));
}

/** Subscribe to changes made here or in another tab. */
export function subscribeGuestCart(listener: Listener): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === GUEST_CART_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
