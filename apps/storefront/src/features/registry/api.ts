import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccessLogEntry,
  ApiErrorBody,
  CreateHouseholdRequest,
  HouseholdDetail,
  HouseholdPhoneRequest,
  HouseholdPhoneView,
  HouseholdSummary,
  Page,
  RegistryImportReport,
  RegistryStatus,
  StatusEventRequest,
  UpdateHouseholdRequest,
} from '@xiangbo/contracts';
import { ApiError, type ApiClient } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';

/** Every call of the household registry (platform admins), as TanStack Query hooks over the typed client. */

export interface RegistrySearch {
  q: string;
  village: string;
  status: RegistryStatus | '';
  page: number;
}

export interface AccessLogSearch {
  actorId: string;
  householdId: string;
  action: string;
  from: string;
  to: string;
  page: number;
}

export const registryKeys = {
  all: ['registry'] as const,
  search: (s: RegistrySearch) => ['registry', 'search', s] as const,
  household: (id: string) => ['registry', 'household', id] as const,
  accessLog: (s: AccessLogSearch) => ['registry', 'access-log', s] as const,
};

export const REGISTRY_PAGE_SIZE = 20;
export const ACCESS_LOG_PAGE_SIZE = 50;

/** Searches with the terms in the body (POST), so an ID number typed into the box never lands in a URL. */
export function useHouseholdSearch(search: RegistrySearch) {
  const client = useApiClient();
  return useQuery({
    queryKey: registryKeys.search(search),
    queryFn: ({ signal }) =>
      client.request<Page<HouseholdSummary>>('/api/admin/households/search', {
        method: 'POST',
        body: {
          q: search.q || undefined,
          village: search.village || undefined,
          status: search.status || undefined,
          page: search.page,
          pageSize: REGISTRY_PAGE_SIZE,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
    // Every search is a logged read of personal data: no silent refetches.
    staleTime: 60_000,
  });
}

export function useHousehold(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: registryKeys.household(id),
    queryFn: ({ signal }) =>
      client.request<HouseholdDetail>(`/api/admin/households/${encodeURIComponent(id)}`, { signal }),
    staleTime: 60_000,
  });
}

export function useCreateHousehold() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateHouseholdRequest) =>
      client.request<HouseholdDetail>('/api/admin/households', { method: 'POST', body }),
    onSuccess: (h) => {
      qc.setQueryData(registryKeys.household(h.id), h);
      void qc.invalidateQueries({ queryKey: ['registry', 'search'] });
    },
  });
}

function useHouseholdWrite<B>(id: string, path: string, method: 'PATCH' | 'POST' | 'PUT') {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) =>
      client.request<HouseholdDetail>(`/api/admin/households/${encodeURIComponent(id)}${path}`, { method, body }),
    onSuccess: (h) => {
      qc.setQueryData(registryKeys.household(id), h);
      void qc.invalidateQueries({ queryKey: ['registry', 'search'] });
    },
  });
}

export const useUpdateHousehold = (id: string) => useHouseholdWrite<UpdateHouseholdRequest>(id, '', 'PATCH');
export const useAddStatusEvent = (id: string) => useHouseholdWrite<StatusEventRequest>(id, '/status-events', 'POST');
/** Sets or (null) removes the phone payout confirmation codes go to: the platform's alone. */
export const useSetHouseholdPhone = (id: string) => useHouseholdWrite<HouseholdPhoneRequest>(id, '/phone', 'PUT');

/** The phone in full, on request only (each read is access-logged by the API). */
export function useRevealHouseholdPhone(id: string) {
  const client = useApiClient();
  return useMutation({
    mutationFn: () => client.request<HouseholdPhoneView>(`/api/admin/households/${encodeURIComponent(id)}/phone`),
  });
}

export function useAccessLog(search: AccessLogSearch) {
  const client = useApiClient();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) if (v !== '' && v !== undefined) params.set(k, String(v));
  params.set('pageSize', String(ACCESS_LOG_PAGE_SIZE));
  return useQuery({
    queryKey: registryKeys.accessLog(search),
    queryFn: ({ signal }) => client.request<Page<AccessLogEntry>>(`/api/admin/access-log?${params}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

// ---------- CSV import (XHR, for upload progress) ----------

export interface UploadProgress {
  /** Bytes sent so far and in all; `total` is 0 when the browser cannot tell. */
  loaded: number;
  total: number;
  /** All bytes are sent; the server is checking the rows. */
  processing: boolean;
}

function sendImport(
  file: File,
  dryRun: boolean,
  token: string | null,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/admin/households/import${dryRun ? '?dryRun=true' : ''}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0, processing: false });
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, processing: true });
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () =>
      reject(new ApiError({ statusCode: 0, code: 'NETWORK_ERROR', message: 'Network request failed' }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as ApiErrorBody).code === 'string';
}

/** Uploads the CSV with progress; refreshes the session once on 401, like the JSON client. */
export async function uploadRegistryCsv(
  client: ApiClient,
  file: File,
  dryRun: boolean,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<RegistryImportReport> {
  let res = await sendImport(file, dryRun, client.getAccessToken(), onProgress, signal);
  if (res.status === 401) {
    const session = await client.refreshSession();
    if (session) res = await sendImport(file, dryRun, session.accessToken, onProgress, signal);
  }
  if (res.status >= 200 && res.status < 300 && res.body !== undefined) return res.body as RegistryImportReport;
  if (isErrorBody(res.body)) throw new ApiError(res.body);
  throw new ApiError({
    statusCode: res.status,
    code: res.status === 413 ? 'PAYLOAD_TOO_LARGE' : res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_RESPONSE',
    message: `HTTP ${res.status}`,
  });
}

export function useRegistryImport(onProgress: (p: UploadProgress) => void) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
      uploadRegistryCsv(client, file, dryRun, onProgress),
    onSuccess: (report) => {
      if (!report.dryRun && report.imported > 0) void qc.invalidateQueries({ queryKey: ['registry', 'search'] });
    },
  });
}
