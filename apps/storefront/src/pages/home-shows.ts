import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiClient } from '../api/client';
import { useApiClient, useAuth, type AuthStatus } from '../auth/auth-context';
import { liveApi } from '../features/live/api';

/**
 * Shows of one status, as the live feature's useShows (same query key, so the two share the cache), without
 * importing its list page and cards into the first bundle. The key holds the session's status (a signed-in buyer
 * sees whether they subscribed); the page rendered by the server (app/first-screen.ts) is the anonymous one,
 * seeded under 'loading' (what the first render sees, before the session is restored) and 'signedOut'.
 */
export function homeShowsQuery(client: ApiClient, status: 'live' | 'scheduled', pageSize: number, auth: AuthStatus) {
  return queryOptions({
    queryKey: ['live', 'shows', status, pageSize, auth],
    queryFn: ({ signal }) => liveApi.list(client, status, pageSize, signal),
    enabled: auth !== 'loading',
    staleTime: 15_000,
    refetchInterval: status === 'live' ? 30_000 : false,
    // A buyer who turns out to be signed in keeps seeing the anonymous list until theirs arrives (no flash).
    placeholderData: keepPreviousData,
  });
}

export function useHomeShows(status: 'live' | 'scheduled', pageSize: number) {
  const client = useApiClient();
  const { status: auth } = useAuth();
  return useQuery(homeShowsQuery(client, status, pageSize, auth));
}
