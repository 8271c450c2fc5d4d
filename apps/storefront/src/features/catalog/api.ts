import type {
  ConsoleLot,
  ConsoleProduct,
  CreateLotRequest,
  CreateProductRequest,
  MemberHousehold,
  Page,
  PendingPhoto,
  ProductDetail,
  ProductFacets,
  ProductListResponse,
  ProductSort,
  PublicCooperativeSummary,
  UpdateProductRequest,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../api/client';

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

/** Uploads one photo (multipart field `photo`) through the shared client: token, one refresh on 401, ApiError. */
export function uploadPhoto(client: ApiClient, productId: string, file: Blob): Promise<ConsoleProduct> {
  const form = new FormData();
  form.append('photo', file);
  return client.request<ConsoleProduct>(`/api/console/products/${encodeURIComponent(productId)}/photos`, {
    method: 'POST',
    body: form,
  });
}

/** Uploads a photo for a product not saved yet; the create request then names it in photoIds. */
export function uploadPendingPhoto(client: ApiClient, coopId: string, file: Blob): Promise<PendingPhoto> {
  const form = new FormData();
  form.append('photo', file);
  return client.request<PendingPhoto>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/pending-photos`, {
    method: 'POST',
    body: form,
  });
}

export function deletePendingPhoto(client: ApiClient, coopId: string, photoId: string): Promise<void> {
  return client.request<void>(
    `/api/console/cooperatives/${encodeURIComponent(coopId)}/pending-photos/${encodeURIComponent(photoId)}`,
    { method: 'DELETE' },
  );
}
