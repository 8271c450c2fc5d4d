import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../api/client';
import type { AuthStatus } from '../../auth/auth-context';
import { liveApi } from './api';

/**
 * A show's page data (/live/:showId), keyed by the session's status (a signed-in viewer sees their subscription).
 * The server renders the room for an anonymous visitor (app/first-screen.ts) and seeds it under 'loading' and
 * 'signedOut'; a viewer who turns out to be signed in keeps that room on screen while theirs loads.
 */
export function showQuery(client: ApiClient, showId: string, status: AuthStatus) {
  return queryOptions({
    queryKey: ['live', 'show', showId, status],
    queryFn: ({ signal }) => liveApi.detail(client, showId, signal),
    enabled: status !== 'loading',
    placeholderData: keepPreviousData,
  });
}
