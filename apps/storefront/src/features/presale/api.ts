import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsolePresale,
  ConsolePresaleOrder,
  CreatePresaleRequest,
  MyPresaleOrder,
  PlaceOrderRequest,
  PlaceOrderResponse,
  PresaleBalanceResponse,
  PublicPresale,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { orderKeys, ordersApi, type MutationCallbacks } from '../orders/api';

const id = (s: string) => encodeURIComponent(s);

/** Every call of the pre-sale feature, through the shared ApiClient (the deposit is ordered with POST /api/orders). */
export const presaleApi = {
  mine: (c: ApiClient, signal?: AbortSignal) => c.request<MyPresaleOrder[]>('/api/presale-orders/mine', { signal }),
  payBalance: (c: ApiClient, orderId: string) =>
    c.request<PresaleBalanceResponse>(`/api/presale-orders/${id(orderId)}/balance`, { method: 'POST' }),
  ofCooperative: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<PublicPresale[]>(`/api/cooperatives/${id(coopId)}/presales`, { signal }),
  console: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsolePresale[]>(`/api/console/cooperatives/${id(coopId)}/presales`, { signal }),
  create: (c: ApiClient, body: CreatePresaleRequest) =>
    c.request<ConsolePresale>('/api/console/presales', { method: 'POST', body }),
  harvest: (c: ApiClient, presaleId: string) =>
    c.request<ConsolePresale>(`/api/console/presales/${id(presaleId)}/harvest`, { method: 'POST' }),
  consoleOrders: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsolePresaleOrder[]>(`/api/console/cooperatives/${id(coopId)}/presale-orders`, { signal }),
  ship: (c: ApiClient, orderId: string, body: { carrier: string; trackingNumber: string }) =>
    c.request<{ orderId: string; balanceOrderId: string | null }>(`/api/console/presale-orders/${id(orderId)}/ship`, {
      method: 'POST',
      body,
    }),
  cancel: (c: ApiClient, presaleId: string, reason: string) =>
    c.request<ConsolePresale>(`/api/console/presales/${id(presaleId)}/cancel`, { method: 'POST', body: { reason } }),
};

/** Query keys of the feature (one factory, so invalidations match what the hooks read). */
export const presaleKeys = {
  all: ['presale'] as const,
  mine: () => ['presale', 'mine'] as const,
  console: (coopId: string) => ['presale', 'console', coopId] as const,
  consoleOrders: (coopId: string) => ['presale', 'console-orders', coopId] as const,
  public: (coopId: string) => ['presale', 'public', coopId] as const,
};

/** The signed-in buyer's pre-sale orders, by order id (deposit and balance orders both map to their row). */
export function useMyPresaleOrders() {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery({
    queryKey: presaleKeys.mine(),
    queryFn: ({ signal }) => presaleApi.mine(client, signal),
    enabled: status === 'signedIn',
    select: (rows) => {
      const out = new Map<string, MyPresaleOrder & { role: 'deposit' | 'balance' }>();
      for (const r of rows) {
        out.set(r.orderId, { ...r, role: 'deposit' });
        if (r.balanceOrderId) out.set(r.balanceOrderId, { ...r, role: 'balance' });
      }
      return out;
    },
    // read again on every page that shows it: a payment made on the pay page changes it
    staleTime: 0,
  });
}

/** 付尾款: the balance order and its payment, then the ordinary payment page. */
export function usePayBalance() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (orderId: string) => presaleApi.payBalance(client, orderId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: presaleKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['orders', 'mine'] });
    },
  });
}

export function useConsolePresales(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: presaleKeys.console(coopId),
    queryFn: ({ signal }) => presaleApi.console(client, coopId, signal),
    enabled: Boolean(coopId),
  });
}

/** The transparency page: a cooperative's pre-sales and what its households were promised. */
export function usePublicPresales(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: presaleKeys.public(coopId),
    queryFn: ({ signal }) => presaleApi.ofCooperative(client, coopId, signal),
    enabled: Boolean(coopId),
  });
}

/** The cooperative's pre-sale orders, by order id (deposit and balance orders both map to their row). */
export function useConsolePresaleOrders(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: presaleKeys.consoleOrders(coopId),
    queryFn: ({ signal }) => presaleApi.consoleOrders(client, coopId, signal),
    enabled: Boolean(coopId),
    staleTime: 0,
    select: (rows) => {
      const out = new Map<string, ConsolePresaleOrder & { role: 'deposit' | 'balance' }>();
      for (const r of rows) {
        out.set(r.orderId, { ...r, role: 'deposit' });
        if (r.balanceOrderId) out.set(r.balanceOrderId, { ...r, role: 'balance' });
      }
      return out;
    },
  });
}

/** Orders a pre-sale product (its deposit; `toRequest` may first save a new address); pre-sales and my orders reload. */
export function usePlacePresaleOrder<V>(
  toRequest: (v: V) => Promise<PlaceOrderRequest>,
  on: MutationCallbacks<PlaceOrderResponse, V>,
) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: V) => ordersApi.place(client, await toRequest(v)),
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: presaleKeys.all });
      void queryClient.invalidateQueries({ queryKey: orderKeys.mine() });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** The console's answers to a pre-sale: harvested (balances fall due), or cancelled with a reason. */
export function usePresaleActions(coopId: string, presaleId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const done = () => void queryClient.invalidateQueries({ queryKey: presaleKeys.console(coopId) });
  const harvest = useMutation({ mutationFn: () => presaleApi.harvest(client, presaleId), onSuccess: done });
  const cancel = useMutation({
    mutationFn: (reason: string) => presaleApi.cancel(client, presaleId, reason),
    onSuccess: done,
  });
  return { harvest, cancel };
}

/** Ships a pre-sale order; pre-sales and orders reload after the page's own reaction. */
export function useShipPresaleOrder(orderId: string, on: MutationCallbacks<unknown, ShipPresaleBody>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ShipPresaleBody) => presaleApi.ship(client, orderId, body),
    onSuccess: (...args) => {
      on.onSuccess?.(...args);
      void queryClient.invalidateQueries({ queryKey: presaleKeys.all });
      void queryClient.invalidateQueries({ queryKey: orderKeys.all });
    },
    onError: on.onError,
  });
}

type ShipPresaleBody = { carrier: string; trackingNumber: string };

/** Opens a pre-sale; the pre-sales reload before the page's own reaction. */
export function useCreatePresale(on: MutationCallbacks<unknown, CreatePresaleRequest>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePresaleRequest) => presaleApi.create(client, body),
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: presaleKeys.all });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}
