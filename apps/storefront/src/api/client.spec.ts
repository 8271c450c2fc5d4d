import type { Me } from '@xiangbo/contracts';
import { ApiClient, ApiError } from './client';
import { signIn } from './auth-api';
import { apiError, fakeApi, json, session, user } from '../test/helpers';

function bearer(init: RequestInit): string | undefined {
  return (init.headers as Record<string, string>)['Authorization'];
}

describe('ApiClient', () => {
  it('sends cookies and the in-memory access token', async () => {
    const api = fakeApi({ 'GET /api/auth/me': () => json(200, user()) });
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session(user(), 'abc'));

    await client.request<Me>('/api/auth/me');

    expect(api.calls[0].init.credentials).toBe('include');
    expect(bearer(api.calls[0].init)).toBe('Bearer abc');
  });

  it('sends a FormData as multipart (the browser sets its boundary), with the token, retried after a refresh', async () => {
    const api = fakeApi({
      'POST /api/reviews/r1/photos': (init) =>
        bearer(init) === 'Bearer fresh' ? json(201, { id: 'r1' }) : apiError(401, 'UNAUTHENTICATED'),
      'POST /api/auth/refresh': () => json(200, session(user(), 'fresh')),
    });
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session(user(), 'expired'));
    const form = new FormData();
    form.append('photo', new Blob(['x'], { type: 'image/jpeg' }), 'a.jpg');

    await client.request('/api/reviews/r1/photos', { method: 'POST', body: form });

    const sent = api.calls.filter((c) => c.url === '/api/reviews/r1/photos');
    expect(sent).toHaveLength(2);
    for (const c of sent) {
      expect(c.init.body).toBe(form);
      expect((c.init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
    }
  });

  it('names a 413 from a proxy (no JSON body) as PAYLOAD_TOO_LARGE', async () => {
    const api = fakeApi({ 'POST /api/x': () => new Response('<html>413</html>', { status: 413 }) });
    const client = new ApiClient({ fetch: api.fetch });
    await expect(client.request('/api/x', { method: 'POST', body: new FormData() })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('refreshes once after a 401 and retries the request with the new token', async () => {
    const api = fakeApi({
      'GET /api/auth/me': (init) =>
        bearer(init) === 'Bearer fresh' ? json(200, user()) : apiError(401, 'UNAUTHENTICATED'),
      'POST /api/auth/refresh': () => json(200, session(user(), 'fresh')),
    });
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session(user(), 'expired'));

    const me = await client.request<Me>('/api/auth/me');

    expect(me.displayName).toBe('李梅');
    expect(api.count('POST /api/auth/refresh')).toBe(1);
    expect(api.count('GET /api/auth/me')).toBe(2);
    expect(client.getAccessToken()).toBe('fresh');
    // The refresh call carries the cookie, not the stale bearer token.
    const refresh = api.calls.find((c) => c.url === '/api/auth/refresh');
    expect(refresh?.init.credentials).toBe('include');
    expect(refresh && bearer(refresh.init)).toBeUndefined();
  });

  it('shares one refresh between requests that fail at the same time', async () => {
    let releaseRefresh: () => void = () => undefined;
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const api = fakeApi({
      'GET /api/auth/me': (init) =>
        bearer(init) === 'Bearer fresh' ? json(200, user()) : apiError(401, 'UNAUTHENTICATED'),
      'POST /api/auth/refresh': async () => {
        await refreshGate;
        return json(200, session(user(), 'fresh'));
      },
    });
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session(user(), 'expired'));

    const all = Promise.all([
      client.request('/api/auth/me'),
      client.request('/api/auth/me'),
      client.request('/api/auth/me'),
    ]);
    await vi.waitFor(() => expect(api.count('POST /api/auth/refresh')).toBe(1));
    releaseRefresh();
    await all;

    expect(api.count('POST /api/auth/refresh')).toBe(1);
    expect(api.count('GET /api/auth/me')).toBe(6);
  });

  it('gives up after one refresh: a second 401 is thrown, not retried again', async () => {
    const api = fakeApi({
      'GET /api/auth/me': () => apiError(401, 'UNAUTHENTICATED', 'Token revoked'),
      'POST /api/auth/refresh': () => json(200, session(user(), 'fresh')),
    });
    const client = new ApiClient({ fetch: api.fetch });

    await expect(client.request('/api/auth/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(api.count('POST /api/auth/refresh')).toBe(1);
    expect(api.count('GET /api/auth/me')).toBe(2);
  });

  it('ends the session when the refresh cookie is no longer valid', async () => {
    const api = fakeApi({
      'GET /api/auth/me': () => apiError(401, 'UNAUTHENTICATED'),
      'POST /api/auth/refresh': () => apiError(401, 'UNAUTHENTICATED'),
    });
    const client = new ApiClient({ fetch: api.fetch });
    client.setSession(session());
    const seen: (Me | null)[] = [];
    client.onSessionChange((u) => seen.push(u));

    const error = await client.request('/api/auth/me').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect(client.getAccessToken()).toBeNull();
    expect(seen).toEqual([null]);
  });

  it('does not treat wrong credentials as an expired session', async () => {
    const api = fakeApi({
      'POST /api/auth/sign-in': () => apiError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail/mobile or password'),
    });
    const client = new ApiClient({ fetch: api.fetch });

    await expect(signIn(client, { identifier: 'li@example.com', password: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(api.count('POST /api/auth/refresh')).toBe(0);
  });

  it('reports a network failure as NETWORK_ERROR', async () => {
    const client = new ApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(client.request('/api/health')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('turns a non-JSON gateway error into SERVICE_UNAVAILABLE', async () => {
    const client = new ApiClient({
      fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(client.request('/api/health')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502 });
  });

  it('returns undefined for 204 No Content', async () => {
    const client = new ApiClient({ fetch: async () => new Response(null, { status: 204 }) });
    await expect(client.request('/api/auth/sign-out', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('sends a JSON body', async () => {
    const api = fakeApi({ 'POST /api/auth/sign-in': () => json(200, session()) });
    const client = new ApiClient({ fetch: api.fetch });
    await signIn(client, { identifier: 'li@example.com', password: 'longenough' });
    const call = api.calls[0];
    expect(JSON.parse(String(call.init.body))).toEqual({ identifier: 'li@example.com', password: 'longenough' });
    expect((call.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(client.getAccessToken()).toBe('token-1');
  });
});
