import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleReview,
  CreateReviewRequest,
  HideReviewRequest,
  OrderReviewsResponse,
  ProductReviewsResponse,
  PublicReview,
} from '@xiangbo/contracts';
import { useApiClient } from '../../auth/auth-context';

/** Every call of the reviews feature, as TanStack Query hooks over the shared client, with one key factory. */
export const reviewKeys = {
  all: ['reviews'] as const,
  product: (productId: string) => ['reviews', 'product', productId] as const,
  order: (orderId: string) => ['reviews', 'order', orderId] as const,
  cooperative: (coopId: string) => ['reviews', 'cooperative', coopId] as const,
  reported: ['reviews', 'reported'] as const,
};

const enc = encodeURIComponent;
export const REVIEWS_PAGE_SIZE = 5;

/** A product's visible reviews, newest first, a page at a time ("查看更多"). */
export function useProductReviews(productId: string) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: reviewKeys.product(productId),
    initialPageParam: 1,
    queryFn: ({ pageParam, signal }) =>
      client.request<ProductReviewsResponse>(
        `/api/products/${enc(productId)}/reviews?page=${pageParam}&pageSize=${REVIEWS_PAGE_SIZE}`,
        { signal },
      ),
    getNextPageParam: (last) => (last.page * last.pageSize < last.count ? last.page + 1 : undefined),
  });
}

export function useOrderReviews(orderId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: reviewKeys.order(orderId),
    queryFn: ({ signal }) => client.request<OrderReviewsResponse>(`/api/orders/${enc(orderId)}/reviews`, { signal }),
  });
}

/** Writes a review, then uploads its photos one by one; the order's and the product's lists are refetched. */
export function useWriteReview(orderId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, photos }: { body: CreateReviewRequest; photos: File[] }) => {
      let review = await client.request<PublicReview>(`/api/orders/${enc(orderId)}/reviews`, { method: 'POST', body });
      for (const photo of photos) review = await uploadReviewPhoto(client, review.id, photo);
      return review;
    },
    onSettled: () => qc.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

export function useAddReviewPhoto(orderId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, photo }: { reviewId: string; photo: File }) => uploadReviewPhoto(client, reviewId, photo),
    onSettled: () => qc.invalidateQueries({ queryKey: reviewKeys.order(orderId) }),
  });
}

function uploadReviewPhoto(client: ReturnType<typeof useApiClient>, reviewId: string, photo: File) {
  const form = new FormData();
  form.append('photo', photo);
  return client.request<PublicReview>(`/api/reviews/${enc(reviewId)}/photos`, { method: 'POST', body: form });
}

export function useReportReview() {
  const client = useApiClient();
  return useMutation({
    mutationFn: ({ reviewId, reason }: { reviewId: string; reason: string }) =>
      client.request<void>(`/api/reviews/${enc(reviewId)}/report`, { method: 'POST', body: { reason } }),
  });
}

export function useCooperativeReviews(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: reviewKeys.cooperative(coopId),
    queryFn: ({ signal }) =>
      client.request<ConsoleReview[]>(`/api/console/cooperatives/${enc(coopId)}/reviews`, { signal }),
  });
}

export function useReplyReview(coopId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, text }: { reviewId: string; text: string }) =>
      client.request<ConsoleReview>(`/api/console/reviews/${enc(reviewId)}/reply`, { method: 'POST', body: { text } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: reviewKeys.cooperative(coopId) }),
  });
}

export function useReportedReviews() {
  const client = useApiClient();
  return useQuery({
    queryKey: reviewKeys.reported,
    queryFn: ({ signal }) => client.request<ConsoleReview[]>('/api/admin/reviews/reported', { signal }),
  });
}

export function useSetReviewHidden() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, ...body }: HideReviewRequest & { reviewId: string }) =>
      client.request<ConsoleReview>(`/api/admin/reviews/${enc(reviewId)}/visibility`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}
