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
import type { ApiClient } from '../../../api/client';
import { downloadWithAuth } from '../../../api/download';

export { downloadWithAuth };

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
  confirm: (c: ApiClient, token: string, code: string) =>
    c.request<ConfirmPayoutResponse>(`/api/household-links/${id(token)}/confirm`, {
      method: 'POST',
      body: { code },
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

export function downloadBankExport(
  client: ApiClient,
  coopId: string,
  batchId: string,
  encoding: ExportEncoding | 'xlsx',
): Promise<void> {
  if (encoding === 'xlsx')
    return downloadWithAuth(
      client,
      `${coopBase(coopId)}/payout-batches/${id(batchId)}/export.xlsx`,
      'payout-batch.xlsx',
    );
  return downloadWithAuth(
    client,
    `${coopBase(coopId)}/payout-batches/${id(batchId)}/export.csv?encoding=${encoding}`,
    `payout-batch-${encoding}.csv`,
  );
}
