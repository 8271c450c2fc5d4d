import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ClaimCouponResponse,
  ConsoleCoupon,
  CouponQuote,
  CouponQuoteRequest,
  DropCouponRequest,
  MyCoupon,
  RoomCoupon,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';

const id = (s: string) => encodeURIComponent(s);

/** Every call of the live-coupon feature, through the shared ApiClient. */
export const couponsApi = {
  room: (c: ApiClient, showId: string, signal?: AbortSignal) =>
    c.request<RoomCoupon[]>(`/api/shows/${id(showId)}/coupons`, { signal }),
  claim: (c: ApiClient, couponId: string) =>
    c.request<ClaimCouponResponse>(`/api/coupons/${id(couponId)}/claim`, { method: 'POST', body: {} }),
  mine: (c: ApiClient, signal?: AbortSignal) => c.request<MyCoupon[]>('/api/me/coupons', { signal }),
  quote: (c: ApiClient, body: CouponQuoteRequest, signal?: AbortSignal) =>
    c.request<CouponQuote>('/api/coupons/quote', { method: 'POST', body, signal }),
  console: (c: ApiClient, showId: string, signal?: AbortSignal) =>
    c.request<ConsoleCoupon[]>(`/api/console/shows/${id(showId)}/coupons`, { signal }),
  drop: (c: ApiClient, showId: string, body: DropCouponRequest) =>
    c.request<ConsoleCoupon>(`/api/console/shows/${id(showId)}/coupons`, { method: 'POST', body }),
  stop: (c: ApiClient, showId: string, couponId: string) =>
    c.request<ConsoleCoupon>(`/api/console/shows/${id(showId)}/coupons/${id(couponId)}/stop`, {
      method: 'POST',
      body: {},
    }),
};

/** Query keys of the feature (one factory, so invalidations match what the hooks read). */
export const couponKeys = {
  all: ['coupons'] as const,
  room: (showId: string, userId: string | null) => ['coupons', 'room', showId, userId] as const,
  mine: () => ['coupons', 'mine'] as const,
  quotes: () => ['coupons', 'quote'] as const,
  quote: (items: CouponQuoteRequest['items']) => ['coupons', 'quote', items] as const,
  console: (showId: string) => ['coupons', 'console', showId] as const,
};

/** The show's coupons for this viewer (how many they hold of each). */
export function useRoomCoupons(showId: string) {
  const client = useApiClient();
  const { user } = useAuth();
  return useQuery({
    queryKey: couponKeys.room(showId, user?.id ?? null),
    queryFn: ({ signal }) => couponsApi.room(client, showId, signal),
  });
}

/** 我的优惠券 (signed in). */
export function useMyCoupons() {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery({
    queryKey: couponKeys.mine(),
    queryFn: ({ signal }) => couponsApi.mine(client, signal),
    enabled: status === 'signedIn',
  });
}

/** The coupons a checkout of these items can use, best first (signed-in buyers). */
export function useCouponQuote(items: CouponQuoteRequest['items'], enabled = true) {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery({
    queryKey: couponKeys.quote(items),
    queryFn: ({ signal }) => couponsApi.quote(client, { items }, signal),
    enabled: enabled && status === 'signedIn' && items.length > 0,
  });
}

/** The host console's coupons of a show, with claimed / used / paid, refreshed every 5 s. */
export function useConsoleCoupons(showId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: couponKeys.console(showId),
    queryFn: ({ signal }) => couponsApi.console(client, showId, signal),
    refetchInterval: 5000,
  });
}

/** Drops a coupon in the show, or stops one; the console's list then reloads. */
export function useConsoleCouponActions(showId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: couponKeys.console(showId) });
  const drop = useMutation({
    mutationFn: (body: Parameters<typeof couponsApi.drop>[2]) => couponsApi.drop(client, showId, body),
    onSuccess: refresh,
  });
  const stop = useMutation({
    mutationFn: (couponId: string) => couponsApi.stop(client, showId, couponId),
    onSuccess: refresh,
  });
  return { drop, stop };
}

/** 领取 a coupon of the show: the room's list counts it at once; my coupons and checkout quotes reload. */
export function useClaimCoupon(showId: string) {
  const client = useApiClient();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (couponId: string) => couponsApi.claim(client, couponId),
    onSuccess: (r) => {
      queryClient.setQueryData<RoomCoupon[]>(couponKeys.room(showId, user?.id ?? null), (list = []) =>
        list.map((x) => (x.id === r.coupon.id ? { ...x, ...r.coupon, mine: x.mine + 1 } : x)),
      );
      void queryClient.invalidateQueries({ queryKey: couponKeys.mine() });
      void queryClient.invalidateQueries({ queryKey: couponKeys.quotes() });
    },
  });
}
