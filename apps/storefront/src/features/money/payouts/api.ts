import type {
  ConsoleCooperative,
  ConfirmByCodeRequest,
  ConfirmPayoutResponse,
  CreatePayoutBatchRequest,
  ExportEncoding,
  HouseholdLinkView,
  HouseholdStatement,
  PayoutBatchDetail,
  PayoutBatchList,
  PayoutList,
  RecordPayoutRequest,
  RecordPayoutResponse,
} from '@xiangbo/contracts';
import { ApiError, type ApiClient } from '../../../api/client';

const id = encodeURIComponent;
const coopBase = (coopId: string) => `/api/console/cooperatives/${id(coopId)}`;

/** Payouts (兑付) and household links: every JSON call goes through the shared ApiClient. */
export const payoutsApi = {
  cooperative: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsoleCooperative>(coopBase(coopId), { signal }),
  batches: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<PayoutBatchList>(`${coopBase(coopId)}/payout-batches`, { signal }),
  batch: (c: ApiClient, coopId: string, batchId: string, signal?: AbortSignal) =>
    c.request<PayoutBatchDetail>(`${coopBase(coopId)}/payout-batches/${id(batchId)}`, { signal }),
  createBatch: (c: ApiClient, coopId: string, body: CreatePayoutBatchRequest) =>
    c.request<PayoutBatchDetail>(`${coopBase(coopId)}/payout-batches`, { method: 'POST', body }),
  unconfirmed: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<PayoutList>(`${coopBase(coopId)}/payouts?flag=unconfirmed`, { signal }),
  record: (c: ApiClient, payoutId: string, body: RecordPayoutRequest) =>
    c.request<RecordPayoutResponse>(`/api/console/payouts/${id(payoutId)}/record`, { method: 'POST', body }),
  statement: (c: ApiClient, coopId: string, householdId: string, signal?: AbortSignal) =>
    c.request<HouseholdStatement>(`${coopBase(coopId)}/households/${id(householdId)}/statement`, { signal }),

  link: (c: ApiClient, token: string, signal?: AbortSignal) =>
    c.request<HouseholdLinkView>(`/api/household-links/${id(token)}`, {
      signal,
      auth: false,
      retryOnUnauthorized: false,
    }),
  confirm: (c: ApiClient, token: string) =>
    c.request<ConfirmPayoutResponse>(`/api/household-links/${id(token)}/confirm`, {
      method: 'POST',
      auth: false,
      retryOnUnauthorized: false,
    }),
  confirmByCode: (c: ApiClient, body: ConfirmByCodeRequest) =>
    c.request<ConfirmPayoutResponse>('/api/household-links/confirm-by-code', {
      method: 'POST',
      body,
      auth: false,
      retryOnUnauthorized: false,
    }),
};

/**
 * Downloads a file with the access token (a plain link would not carry it), refreshing the session once on a
 * 401, and hands the browser the file. Shared by the bank export and the auditor's ledger export.
 */
export async function downloadWithAuth(
  client: ApiClient,
  url: string,
  fallbackName: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const send = (token: string | null) =>
    fetchImpl(url, { credentials: 'include', headers: token ? { Authorization: `Bearer ${token}` } : {} });
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
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiError({
      statusCode: res.status,
      code: body?.code ?? 'BAD_RESPONSE',
      message: body?.message ?? `HTTP ${res.status}`,
    });
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export function downloadBankExport(
  client: ApiClient,
  coopId: string,
  batchId: string,
  encoding: ExportEncoding,
): Promise<void> {
  return downloadWithAuth(
    client,
    `${coopBase(coopId)}/payout-batches/${id(batchId)}/export.csv?encoding=${encoding}`,
    `payout-batch-${encoding}.csv`,
  );
}
