import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationOptions,
} from '@tanstack/react-query';
import type {
  AddressDto,
  CartLineDto,
  CheckoutDto,
  DemoConfirmResponse,
  OrderDetailDto,
  OrderDto,
  OrderStatusValue,
  PaymentsConfigResponse,
  PlaceOrderRequest,
  PlaceOrderResponse,
  ProductDetail,
  RefundDto,
  SaveAddressRequest,
} from '@xiangbo/contracts';
import { isApiError, type ApiClient } from '../../api/client';
import { downloadWithAuth } from '../../api/download';
import { useApiClient } from '../../auth/auth-context';
import { ADDRESS_BOOK_KEY } from './address-book-key';

export interface OrderPage {
  items: OrderDto[];
  total: number;
  page: number;
  pageSize: number;
}

/** A refund as the cooperative console lists it (with its order number). */
export interface ConsoleRefund extends RefundDto {
  orderId: string;
  orderNumber: string;
}

export interface ShipLine {
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

const id = (s: string) => encodeURIComponent(s);

function listPath(base: string, status: OrderStatusValue | undefined, page: number, pageSize: number): string {
  const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (status) q.set('status', status);
  return `${base}?${q.toString()}`;
}

/** Every call of the orders feature, through the shared ApiClient (token, refresh, typed errors). */
export const ordersApi = {
  // cart
  cart: (c: ApiClient, signal?: AbortSignal) => c.request<CartLineDto[]>('/api/cart', { signal }),
  setCartItem: (c: ApiClient, productId: string, quantity: number) =>
    c.request<CartLineDto[]>(`/api/cart/items/${id(productId)}`, { method: 'PUT', body: { quantity } }),
  addCartItem: (c: ApiClient, productId: string, quantity: number) =>
    c.request<CartLineDto[]>('/api/cart/items', { method: 'POST', body: { productId, quantity } }),
  removeCartItem: (c: ApiClient, productId: string) =>
    c.request<CartLineDto[]>(`/api/cart/items/${id(productId)}`, { method: 'DELETE' }),
  mergeCart: (c: ApiClient, items: { productId: string; quantity: number }[]) =>
    c.request<CartLineDto[]>('/api/cart/merge', { method: 'POST', body: { items } }),

  /** Public product details (for guest cart lines and 立即购买). */
  product: (c: ApiClient, productId: string, signal?: AbortSignal) =>
    c.request<ProductDetail>(`/api/products/${id(productId)}`, { signal }),

  // address book
  addresses: (c: ApiClient, signal?: AbortSignal) => c.request<AddressDto[]>('/api/addresses', { signal }),
  saveAddress: (c: ApiClient, body: SaveAddressRequest) =>
    c.request<AddressDto>('/api/addresses', { method: 'POST', body }),

  // orders and payment
  place: (c: ApiClient, body: PlaceOrderRequest) =>
    c.request<PlaceOrderResponse>('/api/orders', { method: 'POST', body }),
  paymentsConfig: (c: ApiClient, signal?: AbortSignal) =>
    c.request<PaymentsConfigResponse>('/api/payments/config', { signal }),
  /** The checkout of a payment; creates the provider intent if it is still missing (idempotent). */
  checkout: (c: ApiClient, paymentId: string, signal?: AbortSignal) =>
    c.request<CheckoutDto>(`/api/payments/${id(paymentId)}/intent`, { method: 'POST', signal }),
  confirmDemo: (c: ApiClient, paymentId: string) =>
    c.request<DemoConfirmResponse>(`/api/payments/demo/${id(paymentId)}/confirm`, { method: 'POST' }),
  myOrders: (c: ApiClient, status: OrderStatusValue | undefined, page: number, pageSize = 20, signal?: AbortSignal) =>
    c.request<OrderPage>(listPath('/api/orders', status, page, pageSize), { signal }),
  order: (c: ApiClient, orderId: string, signal?: AbortSignal) =>
    c.request<OrderDetailDto>(`/api/orders/${id(orderId)}`, { signal }),
  cancel: (c: ApiClient, orderId: string) =>
    c.request<OrderDto>(`/api/orders/${id(orderId)}/cancel`, { method: 'POST' }),
  confirmReceipt: (c: ApiClient, orderId: string) =>
    c.request<OrderDto>(`/api/orders/${id(orderId)}/confirm-receipt`, { method: 'POST' }),
  requestRefund: (c: ApiClient, orderId: string, body: { reason: string; amountFen?: number }) =>
    c.request<OrderDto>(`/api/orders/${id(orderId)}/refund-requests`, { method: 'POST', body }),

  // cooperative console
  coopOrders: (
    c: ApiClient,
    coopId: string,
    status: OrderStatusValue | undefined,
    page: number,
    pageSize = 50,
    signal?: AbortSignal,
  ) =>
    c.request<OrderPage>(listPath(`/api/console/cooperatives/${id(coopId)}/orders`, status, page, pageSize), {
      signal,
    }),
  ship: (c: ApiClient, orderId: string, body: { carrier: string; trackingNumber: string }) =>
    c.request<OrderDto>(`/api/console/orders/${id(orderId)}/ship`, { method: 'POST', body }),
  shipBatch: (c: ApiClient, coopId: string, orders: ShipLine[]) =>
    c.request<{ shipped: number }>(`/api/console/cooperatives/${id(coopId)}/orders/ship-batch`, {
      method: 'POST',
      body: { orders },
    }),
  deliver: (c: ApiClient, orderId: string) =>
    c.request<OrderDto>(`/api/console/orders/${id(orderId)}/deliver`, { method: 'POST' }),
  coopRefunds: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsoleRefund[]>(`/api/console/cooperatives/${id(coopId)}/refunds`, { signal }),
  refund: (c: ApiClient, orderId: string, body: { reason: string; amountFen?: number }) =>
    c.request<OrderDto>(`/api/console/orders/${id(orderId)}/refunds`, { method: 'POST', body }),
  decideRefund: (c: ApiClient, refundId: string, accept: boolean, note?: string) =>
    c.request<OrderDto>(`/api/console/refunds/${id(refundId)}/${accept ? 'accept' : 'decline'}`, {
      method: 'POST',
      body: note ? { note } : {},
    }),
};

/** Downloads the packing list CSV with the access token (see downloadWithAuth). */
export function downloadPackingList(client: ApiClient, coopId: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  return downloadWithAuth(
    client,
    `/api/console/cooperatives/${id(coopId)}/packing-list.csv`,
    'packing-list.csv',
    fetchImpl,
    'text/csv',
  );
}

/** Query keys of the feature (one factory, so invalidations match what the hooks read). */
export const orderKeys = {
  all: ['orders'] as const,
  cart: () => ['orders', 'cart'] as const,
  product: (productId: string | null) => ['orders', 'product', productId] as const,
  mine: () => ['orders', 'mine'] as const,
  mineTab: (tab: string) => ['orders', 'mine', tab] as const,
  order: (orderId: string) => ['orders', 'order', orderId] as const,
  checkout: (paymentId: string) => ['orders', 'checkout', paymentId] as const,
  paymentsConfig: () => ['orders', 'payments-config'] as const,
  console: (coopId: string) => ['orders', 'console', coopId] as const,
  consoleTab: (coopId: string, tab: string) => ['orders', 'console', coopId, tab] as const,
  addressBook: () => ADDRESS_BOOK_KEY,
};

/** What a page adds to a mutation: its own reaction to success or failure (messages, navigation). */
export type MutationCallbacks<T, V> = Pick<UseMutationOptions<T, Error, V>, 'onSuccess' | 'onError'>;

const notFound = (e: unknown) => isApiError(e) && e.status === 404;

/** A product's public details (立即购买, guest cart lines): a 404 is final, other failures are retried once. */
export function orderProductQuery(client: ApiClient, productId: string) {
  return {
    queryKey: orderKeys.product(productId),
    queryFn: ({ signal }: { signal: AbortSignal }) => ordersApi.product(client, productId, signal),
    retry: (n: number, e: unknown) => !notFound(e) && n < 1,
  };
}

/** The product bought at once (`?product=`), when there is one. */
export function useOrderProduct(productId: string | null) {
  const client = useApiClient();
  return useQuery({
    ...orderProductQuery(client, productId ?? ''),
    queryKey: orderKeys.product(productId),
    enabled: Boolean(productId),
  });
}

/** Places the orders of a checkout; `toRequest` may first save a new address. The cart and my orders then reload. */
export function usePlaceOrder<V>(
  toRequest: (v: V) => Promise<PlaceOrderRequest>,
  on: MutationCallbacks<PlaceOrderResponse, V>,
) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: V) => ordersApi.place(client, await toRequest(v)),
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: orderKeys.cart() });
      void queryClient.invalidateQueries({ queryKey: orderKeys.mine() });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** The buyer's orders of a tab (its statuses merged, newest first), a page at a time. */
export function useMyOrders(
  tab: { id: string; statuses: readonly (OrderStatusValue | undefined)[] },
  pageSize: number,
) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: orderKeys.mineTab(tab.id),
    initialPageParam: 1,
    queryFn: async ({ pageParam, signal }) => {
      const pages = await Promise.all(
        tab.statuses.map((s) => ordersApi.myOrders(client, s, pageParam, pageSize, signal)),
      );
      return {
        items: pages.flatMap((p) => p.items).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        more: pages.some((p) => p.page * p.pageSize < p.total),
      };
    },
    getNextPageParam: (last, all) => (last.more ? all.length + 1 : undefined),
  });
}

/** One order with its parcel; a 404 is final. Looked at again every 5 s while it waits for a (webhook) payment. */
export function useOrder(orderId: string) {
  const client = useApiClient();
  return useQuery({
    ...orderQuery(client, orderId),
    retry: (n, e) => !notFound(e) && n < 1,
    // A Stripe payment is confirmed by webhook: look again while the order still waits for it.
    refetchInterval: (q) => (q.state.data?.status === 'pending_payment' ? 5000 : false),
  });
}

export function orderQuery(client: ApiClient, orderId: string) {
  return {
    queryKey: orderKeys.order(orderId),
    queryFn: ({ signal }: { signal: AbortSignal }) => ordersApi.order(client, orderId, signal),
  };
}

/** Puts an order an action answered with into the cache (keeping its parcel's steps) and reloads my orders. */
function useOrderUpdated() {
  const queryClient = useQueryClient();
  return (o: OrderDto) => {
    // an action answers with the order alone: the parcel's steps stay as they were
    queryClient.setQueryData(orderKeys.order(o.id), (old: OrderDetailDto | undefined) => ({
      tracking: old?.tracking ?? [],
      ...o,
    }));
    void queryClient.invalidateQueries({ queryKey: orderKeys.mine() });
  };
}

/** The buyer's answer to an order: the cancel or confirm-receipt action, and a refund request. */
export function useOrderAction(orderId: string, on: MutationCallbacks<OrderDto, 'cancel' | 'confirm'>) {
  const client = useApiClient();
  const updated = useOrderUpdated();
  return useMutation({
    mutationFn: (kind: 'cancel' | 'confirm') =>
      kind === 'cancel' ? ordersApi.cancel(client, orderId) : ordersApi.confirmReceipt(client, orderId),
    onSuccess: (...args) => {
      updated(args[0]);
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

export function useRequestRefund(orderId: string, on: MutationCallbacks<OrderDto, RefundBody>) {
  const client = useApiClient();
  const updated = useOrderUpdated();
  return useMutation({
    mutationFn: (body: RefundBody) => ordersApi.requestRefund(client, orderId, body),
    onSuccess: (...args) => {
      updated(args[0]);
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

type RefundBody = { reason: string; amountFen?: number };

/** A payment's checkout (creates the provider intent if missing); 4xx are final. */
export function useCheckout(paymentId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: orderKeys.checkout(paymentId),
    queryFn: ({ signal }) => ordersApi.checkout(client, paymentId, signal),
    retry: (n, e) => !(isApiError(e) && e.status < 500) && n < 1,
  });
}

/** Which payment provider runs and its publishable key (by default never looked up again while the page is open). */
export function usePaymentsConfig(staleTime = Infinity) {
  const client = useApiClient();
  return useQuery({
    queryKey: orderKeys.paymentsConfig(),
    queryFn: ({ signal }) => ordersApi.paymentsConfig(client, signal),
    staleTime,
  });
}

export function useConfirmDemoPayment(paymentId: string, on: MutationCallbacks<DemoConfirmResponse, void>) {
  const client = useApiClient();
  return useMutation({ mutationFn: () => ordersApi.confirmDemo(client, paymentId), ...on });
}

/** The buyer's address book (one cache entry for every checkout). */
export function useAddressBook() {
  const client = useApiClient();
  return useQuery({ queryKey: orderKeys.addressBook(), queryFn: ({ signal }) => ordersApi.addresses(client, signal) });
}

/** Puts an address in the book; the book reloads before `onSuccess` runs. */
export function useSaveAddress(on: MutationCallbacks<AddressDto, SaveAddressRequest>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveAddressRequest) => ordersApi.saveAddress(client, body),
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: orderKeys.addressBook() });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** A cooperative's orders of a console tab (its statuses merged, first 100 of each). */
export function useCoopOrders(
  coopId: string,
  tab: { id: string; statuses: readonly (OrderStatusValue | undefined)[] },
) {
  const client = useApiClient();
  return useQuery({
    queryKey: orderKeys.consoleTab(coopId, tab.id),
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(tab.statuses.map((s) => ordersApi.coopOrders(client, coopId, s, 1, 100, signal)));
      return pages.flatMap((p) => p.items);
    },
  });
}

/** Reloads every console list of a cooperative (after a shipment, delivery, refund or decision). */
export function useRefreshCoopOrders(coopId: string) {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: orderKeys.console(coopId) });
}

export function useShipBatch(coopId: string, on: MutationCallbacks<{ shipped: number }, ShipLine[]>) {
  const client = useApiClient();
  return useMutation({ mutationFn: (lines: ShipLine[]) => ordersApi.shipBatch(client, coopId, lines), ...on });
}

export function useShipOrder(on: MutationCallbacks<OrderDto, ShipLine>) {
  const client = useApiClient();
  return useMutation({
    mutationFn: (line: ShipLine) =>
      ordersApi.ship(client, line.orderId, { carrier: line.carrier, trackingNumber: line.trackingNumber }),
    ...on,
  });
}

export function useDeliverOrder(orderId: string, on: MutationCallbacks<OrderDto, void>) {
  const client = useApiClient();
  return useMutation({ mutationFn: () => ordersApi.deliver(client, orderId), ...on });
}

export function useConsoleRefund(orderId: string, on: MutationCallbacks<OrderDto, RefundBody>) {
  const client = useApiClient();
  return useMutation({ mutationFn: (body: RefundBody) => ordersApi.refund(client, orderId, body), ...on });
}

export function useCoopRefunds(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: orderKeys.consoleTab(coopId, 'refunds'),
    queryFn: ({ signal }) => ordersApi.coopRefunds(client, coopId, signal),
  });
}

/** Accepts or declines a buyer's refund request; the cooperative's lists then reload. */
export function useDecideRefund(coopId: string, refundId: string) {
  const client = useApiClient();
  const refresh = useRefreshCoopOrders(coopId);
  return useMutation({
    mutationFn: (v: { accept: boolean; note?: string }) => ordersApi.decideRefund(client, refundId, v.accept, v.note),
    onSuccess: refresh,
  });
}
