import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiClient } from '../../api/client';
import { isApiError } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';
import { catalogApi } from './api';

/** The cache key of a product's public page (what a change to its offers must reload). */
export const productKey = (id: string) => ['catalog', 'product', id] as const;

/** A product's page data: the page's query, and what the server fetches to render it first (app/first-screen.ts). */
export function productQuery(client: ApiClient, id: string) {
  return queryOptions({
    queryKey: productKey(id),
    queryFn: ({ signal }) => catalogApi.detail(client, id, signal),
    staleTime: 30_000,
    retry: (n: number, e: Error) => !(isApiError(e) && e.status === 404) && n < 2,
  });
}

/** A product's public page. */
export function useProduct(productId: string) {
  const client = useApiClient();
  return useQuery(productQuery(client, productId));
}
