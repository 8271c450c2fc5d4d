import { useQuery } from '@tanstack/react-query';
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
