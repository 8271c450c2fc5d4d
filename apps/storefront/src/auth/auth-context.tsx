import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, RegisterRequest, SignInRequest } from '@xiangbo/contracts';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { register, restoreSession, signIn, signOut } from '../api/auth-api';
import { apiClient, type ApiClient } from '../api/client';

export const SESSION_QUERY_KEY = ['auth', 'session'] as const;

const ApiClientContext = createContext<ApiClient>(apiClient);

export function useApiClient(): ApiClient {
  return useContext(ApiClientContext);
}

export type AuthStatus = 'loading' | 'signedIn' | 'signedOut';

export interface AuthState {
  status: AuthStatus;
  user: Me | null;
}

/**
 * Keeps the signed-in user in the TanStack Query cache under SESSION_QUERY_KEY.
 * On start it asks the API to refresh from the httpOnly cookie, silently: no cookie or no API
 * simply means signed out. Afterwards the client tells us whenever the session changes
 * (sign-in, background refresh, expiry, sign-out).
 */
export function AuthProvider({ client = apiClient, children }: { client?: ApiClient; children: ReactNode }) {
  const queryClient = useQueryClient();

  useEffect(
    () => client.onSessionChange((user) => queryClient.setQueryData<Me | null>(SESSION_QUERY_KEY, user)),
    [client, queryClient],
  );

  // Start restoring the session as soon as the app mounts, not when the first page asks.
  useQuery(sessionQueryOptions(client));

  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>;
}

function sessionQueryOptions(client: ApiClient) {
  return queryOptions({
    queryKey: SESSION_QUERY_KEY,
    queryFn: () => restoreSession(client),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useAuth(): AuthState {
  const session = useQuery(sessionQueryOptions(useApiClient()));
  if (session.isPending) return { status: 'loading', user: null };
  const user = session.data ?? null;
  return { status: user ? 'signedIn' : 'signedOut', user };
}

export function useSignIn() {
  const client = useApiClient();
  return useMutation({ mutationFn: (body: SignInRequest) => signIn(client, body) });
}

export function useRegister() {
  const client = useApiClient();
  return useMutation({ mutationFn: (body: RegisterRequest) => register(client, body) });
}

export function useSignOut() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => signOut(client),
    onSettled: () => {
      // Whatever the server said, this browser is signed out: drop everything cached for the user.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_QUERY_KEY[0] });
      queryClient.setQueryData<Me | null>(SESSION_QUERY_KEY, null);
    },
  });
}
