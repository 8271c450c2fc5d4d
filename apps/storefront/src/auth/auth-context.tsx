import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, RegisterRequest, SignInRequest } from '@xiangbo/contracts';
import {
  createContext,
  useContext,
  useDeferredValue,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
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

const LOADING: AuthState = { status: 'loading', user: null };
/** The session as the screens see it, from AuthProvider. */
const AuthStateContext = createContext<AuthState | null>(null);
const noSubscription = () => () => undefined;

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
  const session = useQuery(sessionQueryOptions(client));
  // While the browser hydrates a page rendered by the server (app/first-screen.ts), the session is as unknown as it
  // was there, even if it was restored meanwhile: the same markup, then the real status.
  const hydrating = useSyncExternalStore(
    noSubscription,
    () => false,
    () => true,
  );
  const user = session.data ?? null;
  const state = useMemo<AuthState>(
    () => (hydrating || session.isPending ? LOADING : { status: user ? 'signedIn' : 'signedOut', user }),
    [hydrating, session.isPending, user],
  );
  // On a page rendered by the server, screens see the session's changes in a background (time-sliced) render: on a
  // phone, the page that has just been hydrated is not rendered again in one long task (a store's update is
  // synchronous) when the session turns out signed out or in. A page the browser renders alone sees them at once.
  const [serverPage] = useState(hydrating);
  const deferred = useDeferredValue(state);
  const shown = serverPage ? deferred : state;

  return (
    <ApiClientContext.Provider value={client}>
      <AuthStateContext.Provider value={shown}>{children}</AuthStateContext.Provider>
    </ApiClientContext.Provider>
  );
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

/** The session (AuthProvider's): 'loading' until it is known, and while a page rendered by the server hydrates. */
export function useAuth(): AuthState {
  return useContext(AuthStateContext) ?? LOADING;
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
