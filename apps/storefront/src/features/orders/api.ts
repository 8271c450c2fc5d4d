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
import type { ApiClient } from '../../api/client';
import { downloadWithAuth } from '../../api/download';

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
