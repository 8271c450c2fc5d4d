import type { ApiErrorBody, AuthResponse, Me } from '@xiangbo/contracts';

/**
 * Codes the client itself produces when the server could not give a proper `ApiErrorBody`
 * (no network, an HTML error page from a proxy, a body that is not JSON).
 */
export const CLIENT_ERROR_CODES = ['NETWORK_ERROR', 'SERVICE_UNAVAILABLE', 'BAD_RESPONSE'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every failed call throws this, carrying the server's error body (or one the client made up). */
export class ApiError extends Error {
  readonly body: ApiErrorBody;

  constructor(body: ApiErrorBody, options?: { cause?: unknown }) {
    super(body.message, options);
    this.name = 'ApiError';
    this.body = body;
  }

  get status(): number {
    return this.body.statusCode;
  }

  get code(): string {
    return this.body.code;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as JSON; a FormData (file uploads) is sent as multipart/form-data as it is. */
  body?: unknown;
  signal?: AbortSignal;
  /** Attach the in-memory access token (default true). */
  auth?: boolean;
  /** On 401, refresh the session once and retry (default true). Off for the auth endpoints themselves. */
  retryOnUnauthorized?: boolean;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
export type SessionListener = (user: Me | null) => void;

export interface ApiClientOptions {
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: FetchLike;
  /** Prefix for every path; '' in the browser because the API serves the storefront (or Vite proxies /api). */
  baseUrl?: string;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['statusCode'] === 'number' && typeof v['code'] === 'string' && typeof v['message'] === 'string';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A small fetch wrapper for the Xiangbo API.
 *
 * - The access token lives only in this object's memory (never localStorage); the refresh token is an
 *   httpOnly cookie the browser sends with `credentials: 'include'`.
 * - On a 401 it refreshes the session once and retries the request once. Concurrent 401s share one
 *   refresh call, because the server rotates the refresh cookie and a second refresh with the old
 *   cookie would fail.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private user: Me | null = null;
  private refreshing: Promise<AuthResponse | null> | null = null;
  private readonly listeners = new Set<SessionListener>();
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  getAccessToken(): string | null {
    return this.accessToken;
  }

  getUser(): Me | null {
    return this.user;
  }

  /** Called with the signed-in user whenever the session starts, is refreshed, or ends (null). */
  onSessionChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  setSession(auth: AuthResponse): void {
    this.accessToken = auth.accessToken;
    this.user = auth.user;
    this.emit();
  }

  clearSession(): void {
    const hadSession = this.accessToken !== null || this.user !== null;
    this.accessToken = null;
    this.user = null;
    if (hadSession) this.emit();
  }

  /**
   * Exchanges the refresh cookie for a new access token. Resolves null when there is no valid
   * session (401); rejects with an ApiError for anything else (network down, server error).
   * Calls made while one refresh is in flight share it.
   */
  refreshSession(): Promise<AuthResponse | null> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { auth = true, retryOnUnauthorized = true } = options;
    const sentToken = auth ? this.accessToken : null;
    const response = await this.send(path, options, sentToken);
    if (response.status === 401 && retryOnUnauthorized) {
      // Another call may already have refreshed while this one was in flight.
      const fresh =
        this.accessToken !== null && this.accessToken !== sentToken ? this.accessToken : await this.refreshedToken();
      if (fresh !== null) {
        return this.parse<T>(await this.send(path, options, auth ? fresh : null));
      }
    }
    return this.parse<T>(response);
  }

  private async refreshedToken(): Promise<string | null> {
    const session = await this.refreshSession();
    return session?.accessToken ?? null;
  }

  private async doRefresh(): Promise<AuthResponse | null> {
    const tokenBefore = this.accessToken;
    try {
      const session = await this.request<AuthResponse>('/api/auth/refresh', {
        method: 'POST',
        auth: false,
        retryOnUnauthorized: false,
      });
      this.setSession(session);
      return session;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        // Don't wipe a session that a sign-in started while this refresh was in flight.
        if (this.accessToken === tokenBefore) this.clearSession();
        return null;
      }
      throw error;
    }
  }

  private async send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    // FormData: the browser writes the multipart Content-Type with its boundary (a file upload, one path for all).
    const multipart = typeof FormData !== 'undefined' && options.body instanceof FormData;
    if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
    if (token) headers['Authorization'] = `Bearer ${token}`;
    try {
      return await this.fetchImpl(this.baseUrl + path, {
        method: options.method ?? 'GET',
        headers,
        body:
          options.body === undefined
            ? undefined
            : multipart
              ? (options.body as FormData)
              : JSON.stringify(options.body),
        credentials: 'include',
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(
        {
          statusCode: 0,
          code: 'NETWORK_ERROR',
          message: cause instanceof Error ? cause.message : 'Network request failed',
        },
        { cause },
      );
    }
  }

  private async parse<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T;
    if (response.status === 413) {
      throw new ApiError({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The file is too large' });
    }
    const payload = await readJson(response);
    if (response.ok) {
      if (payload === undefined) {
        throw new ApiError({
          statusCode: response.status,
          code: 'BAD_RESPONSE',
          message: 'The server sent a response that is not JSON',
        });
      }
      return payload as T;
    }
    if (isApiErrorBody(payload)) throw new ApiError(payload);
    throw new ApiError({
      statusCode: response.status,
      code: response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_RESPONSE',
      message: response.statusText || `HTTP ${response.status}`,
    });
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.user);
  }
}

/** The one client the app uses. */
export const apiClient = new ApiClient();
