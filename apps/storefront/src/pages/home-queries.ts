import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { isApiError, type ApiClient } from '../api/client';
import { useApiClient } from '../auth/auth-context';
import { catalogApi } from '../features/catalog/api';
import { homeShowsQuery } from './home-shows';

/** What home asks the API for: the components' queries, and what the server fetches to render it first. */
export const homeQueries = {
  facets: (client: ApiClient) =>
    queryOptions({
      queryKey: ['catalog', 'facets'],
      queryFn: ({ signal }) => catalogApi.facets(client, signal),
      staleTime: 60_000,
    }),
  featured: (client: ApiClient) =>
    queryOptions({
      queryKey: ['catalog', 'products', { sort: 'sales', pageSize: 8 }],
      queryFn: ({ signal }) => catalogApi.list(client, { sort: 'sales', pageSize: 8 }, signal),
      staleTime: 30_000,
    }),
  cooperatives: (client: ApiClient) =>
    queryOptions({
      queryKey: ['home', 'cooperatives'],
      queryFn: ({ signal }) => catalogApi.cooperatives(client, signal),
      staleTime: 30_000,
      retry: (n: number, e: Error) => !(isApiError(e) && e.status === 404) && n < 1,
    }),
  /** Fetches every query of the first screen for a visitor whose session is not known yet (the server's view). */
  fetchAll: (queryClient: QueryClient, client: ApiClient) =>
    Promise.all([
      queryClient.fetchQuery(homeQueries.facets(client)),
      queryClient.fetchQuery(homeQueries.featured(client)),
      queryClient.fetchQuery(homeQueries.cooperatives(client)),
      queryClient.fetchQuery(homeShowsQuery(client, 'live', LIVE_COUNT, 'signedOut')),
      queryClient.fetchQuery(homeShowsQuery(client, 'scheduled', UPCOMING_COUNT, 'signedOut')),
    ]),
};
export const LIVE_COUNT = 6;
export const UPCOMING_COUNT = 6;

/** Home's browse section: the categories and provinces on sale. */
export const useHomeFacets = () => useQuery(homeQueries.facets(useApiClient()));
/** Home's best sellers. */
export const useFeaturedProducts = () => useQuery(homeQueries.featured(useApiClient()));
/** Home's cooperatives (lazy part of the page). */
export const useHomeCooperatives = () => useQuery(homeQueries.cooperatives(useApiClient()));
