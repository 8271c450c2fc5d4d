import type { AuthResponse, HealthResponse, Me, RegisterRequest, SignInRequest } from '@xiangbo/contracts';
import type { ApiClient } from './client';

/** The auth endpoints. Sign-in and register start a session on the client; a 401 from them is an answer, not an expired token. */
export async function register(client: ApiClient, body: RegisterRequest): Promise<Me> {
  const session = await client.request<AuthResponse>('/api/auth/register', {
    method: 'POST',
    body,
    auth: false,
    retryOnUnauthorized: false,
  });
  client.setSession(session);
  return session.user;
}

export async function signIn(client: ApiClient, body: SignInRequest): Promise<Me> {
  const session = await client.request<AuthResponse>('/api/auth/sign-in', {
    method: 'POST',
    body,
    auth: false,
    retryOnUnauthorized: false,
  });
  client.setSession(session);
  return session.user;
}

/** Ends the session on the server (clears the cookie) and always forgets it locally, even if the call fails. */
export async function signOut(client: ApiClient): Promise<void> {
  try {
    await client.request<void>('/api/auth/sign-out', { method: 'POST', retryOnUnauthorized: false });
  } finally {
    client.clearSession();
  }
}

/**
 * Restores a session from the refresh cookie on app start. Any failure (no cookie, API down,
 * unexpected response) means "signed out": the shop still works without an account.
 */
export async function restoreSession(client: ApiClient): Promise<Me | null> {
  try {
    const session = await client.refreshSession();
    return session?.user ?? client.getUser();
  } catch {
    return client.getUser();
  }
}

export function fetchMe(client: ApiClient, signal?: AbortSignal): Promise<Me> {
  return client.request<Me>('/api/auth/me', { signal });
}

export function fetchHealth(client: ApiClient, signal?: AbortSignal): Promise<HealthResponse> {
  return client.request<HealthResponse>('/api/health', { auth: false, retryOnUnauthorized: false, signal });
}
