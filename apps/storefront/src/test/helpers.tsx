import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { AuthResponse, Me } from '@xiangbo/contracts';
import { MemoryRouter } from 'react-router-dom';
import { vi } from 'vitest';
import { ApiClient, type FetchLike } from '../api/client';
import { App } from '../app/app';
import { Providers } from '../app/providers';
import i18n, { DEFAULT_LANGUAGE } from '../i18n/i18n';

export function json(status: number, body?: unknown, init: ResponseInit = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
    ...init,
  });
}

export function apiError(
  statusCode: number,
  code: string,
  message = code,
  errors?: { field: string; message: string }[],
) {
  return json(statusCode, { statusCode, code, message, errors, requestId: 'req-1' });
}

export function user(overrides: Partial<Me> = {}): Me {
  return {
    id: 'u-1',
    email: 'li.mei@example.com',
    mobile: null,
    displayName: '李梅',
    roles: [{ role: 'buyer', cooperativeId: null }],
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function session(me: Me = user(), accessToken = 'token-1'): AuthResponse {
  return { accessToken, expiresIn: 900, user: me };
}

type Handler = (init: RequestInit, url: string) => Response | Promise<Response>;

/** A fake API: "METHOD /path" → handler. Unknown routes answer 404 NOT_FOUND; every call is recorded. */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: { method: string; url: string; init: RequestInit }[] = [];
  const fetch = vi.fn<FetchLike>(async (url, init) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, init });
    const handler = routes[`${method} ${url}`];
    return handler ? handler(init, url) : apiError(404, 'NOT_FOUND');
  });
  return { fetch, calls, count: (key: string) => calls.filter((c) => `${c.method} ${c.url}` === key).length };
}

/** Signed out: the refresh cookie is missing or expired. */
export const signedOutRefresh: Handler = () => apiError(401, 'UNAUTHENTICATED', 'No session');

export function renderApp(path: string, fetch: FetchLike) {
  const client = new ApiClient({ fetch });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const utils = render(
    <Providers client={client} queryClient={queryClient}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <App />
      </MemoryRouter>
    </Providers>,
  );
  return { client, queryClient, ...utils };
}

export async function resetLanguage(): Promise<void> {
  localStorage.clear();
  await i18n.changeLanguage(DEFAULT_LANGUAGE);
  localStorage.clear();
}
