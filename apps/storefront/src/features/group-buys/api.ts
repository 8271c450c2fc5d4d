import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleGroupOffer,
  GroupBuyView,
  GroupOfferRequest,
  GroupSeatResponse,
  JoinGroupRequest,
  MyGroupOrder,
  OpenGroupRequest,
  OpenGroupSummary,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { productKey } from '../catalog/product-query';
import { orderKeys, type MutationCallbacks } from '../orders/api';

const id = (s: string) => encodeURIComponent(s);

/** Every call of the group-buy feature, through the shared ApiClient. */
export const groupBuysApi = {
  group: (c: ApiClient, groupId: string, signal?: AbortSignal) =>
    c.request<GroupBuyView>(`/api/group-buys/${id(groupId)}`, { signal }),
  openGroups: (c: ApiClient, productId: string, signal?: AbortSignal) =>
    c.request<OpenGroupSummary[]>(`/api/group-buys?productId=${id(productId)}`, { signal }),
  mine: (c: ApiClient, signal?: AbortSignal) => c.request<MyGroupOrder[]>('/api/group-buys/mine', { signal }),
  cooperativeOrders: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<MyGroupOrder[]>(`/api/console/cooperatives/${id(coopId)}/group-orders`, { signal }),
  open: (c: ApiClient, body: OpenGroupRequest) =>
    c.request<GroupSeatResponse>('/api/group-buys', { method: 'POST', body }),
  join: (c: ApiClient, groupId: string, body: JoinGroupRequest) =>
    c.request<GroupSeatResponse>(`/api/group-buys/${id(groupId)}/join`, { method: 'POST', body }),
  consoleOffer: (c: ApiClient, productId: string, signal?: AbortSignal) =>
    c.request<ConsoleGroupOffer>(`/api/console/products/${id(productId)}/group-offer`, { signal }),
  setOffer: (c: ApiClient, productId: string, body: GroupOfferRequest) =>
    c.request<ConsoleGroupOffer>(`/api/console/products/${id(productId)}/group-offer`, { method: 'PUT', body }),
};

/** Query keys of the feature (one factory, so invalidations match what the hooks read). */
export const groupBuyKeys = {
  all: ['group-buys'] as const,
  group: (groupId: string) => ['group-buys', 'group', groupId] as const,
  open: (productId: string) => ['group-buys', 'open', productId] as const,
  mine: () => ['group-buys', 'mine'] as const,
  cooperativeOrders: (coopId: string) => ['group-buys', 'cooperative-orders', coopId] as const,
  console: (productId: string) => ['group-buys', 'console', productId] as const,
};

/** A group, refreshed every 10 s while it is open (others join and pay meanwhile). */
export function useGroup(groupId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: groupBuyKeys.group(groupId),
    queryFn: ({ signal }) => groupBuysApi.group(client, groupId, signal),
    refetchInterval: (q) => (q.state.data?.status === 'open' ? 10_000 : false),
  });
}

/** Open groups of a product to join, refreshed every 15 s. */
export function useOpenGroups(productId: string, enabled = true) {
  const client = useApiClient();
  return useQuery({
    queryKey: groupBuyKeys.open(productId),
    queryFn: ({ signal }) => groupBuysApi.openGroups(client, productId, signal),
    enabled,
    refetchInterval: 15_000,
  });
}

/** The signed-in buyer's group orders, by order id (for the order list's and detail's badge). */
export function useMyGroupOrders() {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery({
    queryKey: groupBuyKeys.mine(),
    queryFn: ({ signal }) => groupBuysApi.mine(client, signal),
    enabled: status === 'signedIn',
    select: (rows) => new Map(rows.map((r) => [r.orderId, r])),
    staleTime: 10_000,
  });
}

/** A cooperative's group orders, by order id (its console's order list marks those that cannot ship yet). */
export function useCooperativeGroupOrders(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: groupBuyKeys.cooperativeOrders(coopId),
    queryFn: ({ signal }) => groupBuysApi.cooperativeOrders(client, coopId, signal),
    select: (rows) => new Map(rows.map((r) => [r.orderId, r])),
    staleTime: 10_000,
  });
}

/** What taking a seat sends: opening a new group of a product, or joining one. */
export type SeatRequest =
  { kind: 'open'; body: OpenGroupRequest } | { kind: 'join'; groupId: string; body: JoinGroupRequest };

/** Takes a seat (`toRequest` may first save a new address); the groups and my orders then reload. */
export function useTakeSeat<V>(toRequest: (v: V) => Promise<SeatRequest>, on: MutationCallbacks<GroupSeatResponse, V>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: V) => {
      const r = await toRequest(v);
      return r.kind === 'open' ? groupBuysApi.open(client, r.body) : groupBuysApi.join(client, r.groupId, r.body);
    },
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: groupBuyKeys.all });
      void queryClient.invalidateQueries({ queryKey: orderKeys.mine() });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** A product's group offer in the console. */
export function useGroupOffer(productId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: groupBuyKeys.console(productId),
    queryFn: ({ signal }) => groupBuysApi.consoleOffer(client, productId, signal),
  });
}

/** Saves a product's group offer; the console shows it at once and the product's page reloads. */
export function useSaveGroupOffer(productId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GroupOfferRequest) => groupBuysApi.setOffer(client, productId, body),
    onSuccess: (res) => {
      queryClient.setQueryData(groupBuyKeys.console(productId), res);
      void queryClient.invalidateQueries({ queryKey: productKey(productId) });
    },
  });
}
