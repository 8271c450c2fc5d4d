import type {
  ApiErrorBody,
  ConsoleLot,
  ConsoleProduct,
  CreateLotRequest,
  CreateProductRequest,
  MemberHousehold,
  Page,
  ProductDetail,
  ProductFacets,
  ProductListResponse,
  ProductSort,
  PublicCooperativeSummary,
  UpdateProductRequest,
} from '@xiangbo/contracts';
import { ApiError, type ApiClient } from '../../api/client';

/** The catalogue's calls to the API; every JSON call goes through the shared ApiClient. */

export interface ProductFilters {
  q?: string;
  category?: string;
  region?: string;
  cooperativeId?: string;
  sort?: ProductSort;
  page?: number;
  pageSize?: number;
}

export function productsPath(f: ProductFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v !== undefined && v !== '' && v !== null) params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/products${qs ? `?${qs}` : ''}`;
}

export const catalogApi = {
  list: (c: ApiClient, f: ProductFilters, signal?: AbortSignal) =>
    c.request<ProductListResponse>(productsPath(f), { signal }),
  facets: (c: ApiClient, signal?: AbortSignal) => c.request<ProductFacets>('/api/products/facets', { signal }),
  detail: (c: ApiClient, id: string, signal?: AbortSignal) =>
    c.request<ProductDetail>(`/api/products/${encodeURIComponent(id)}`, { signal }),
  cooperatives: (c: ApiClient, signal?: AbortSignal) =>
    c.request<Page<PublicCooperativeSummary>>('/api/cooperatives?pageSize=8', { signal }),

  consoleList: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsoleProduct[]>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/products`, { signal }),
  consoleGet: (c: ApiClient, id: string, signal?: AbortSignal) =>
    c.request<ConsoleProduct>(`/api/console/products/${encodeURIComponent(id)}`, { signal }),
  create: (c: ApiClient, coopId: string, body: CreateProductRequest) =>
    c.request<ConsoleProduct>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/products`, {
      method: 'POST',
      body,
    }),
  update: (c: ApiClient, id: string, body: UpdateProductRequest) =>
    c.request<ConsoleProduct>(`/api/console/products/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  deletePhoto: (c: ApiClient, id: string, photoId: string) =>
    c.request<ConsoleProduct>(`/api/console/products/${encodeURIComponent(id)}/photos/${encodeURIComponent(photoId)}`, {
      method: 'DELETE',
    }),
  reorderPhotos: (c: ApiClient, id: string, photoIds: string[]) =>
    c.request<ConsoleProduct>(`/api/console/products/${encodeURIComponent(id)}/photos/order`, {
      method: 'PUT',
      body: { photoIds },
    }),
  lots: (c: ApiClient, id: string, signal?: AbortSignal) =>
    c.request<ConsoleLot[]>(`/api/console/products/${encodeURIComponent(id)}/lots`, { signal }),
  createLot: (c: ApiClient, id: string, body: CreateLotRequest) =>
    c.request<ConsoleLot>(`/api/console/products/${encodeURIComponent(id)}/lots`, { method: 'POST', body }),
  memberHouseholds: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<MemberHousehold[]>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/member-households`, {
      signal,
    }),
};

function isErrorBody(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ApiErrorBody).code === 'string';
}

/**
 * Uploads one photo as multipart/form-data (the shared client only speaks JSON). Uses the client's access
 * token, refreshes the session once on a 401, and throws the same ApiError as every other call.
 */
export async function uploadPhoto(client: ApiClient, productId: string, file: Blob, fetchImpl: typeof fetch = fetch) {
  const send = (token: string | null) => {
    const form = new FormData();
    form.append('photo', file);
    return fetchImpl(`/api/console/products/${encodeURIComponent(productId)}/photos`, {
      method: 'POST',
      body: form,
      credentials: 'include',
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  };
  let res: Response;
  try {
    res = await send(client.getAccessToken());
    if (res.status === 401) {
      const session = await client.refreshSession();
      if (session) res = await send(session.accessToken);
    }
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError({ statusCode: 0, code: 'NETWORK_ERROR', message: 'Network request failed' }, { cause });
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok && body) return body as ConsoleProduct;
  if (isErrorBody(body)) throw new ApiError(body);
  throw new ApiError({
    statusCode: res.status,
    code: res.status === 413 ? 'PAYLOAD_TOO_LARGE' : res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_RESPONSE',
    message: res.statusText || `HTTP ${res.status}`,
  });
}
