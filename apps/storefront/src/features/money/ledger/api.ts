import type {
  DividendPreviewDto,
  DividendRequest,
  ImpactReceiptDto,
  LedgerHeadHistoryDto,
  LedgerPublicKeyDto,
  SettlementOverview,
  SettlementRunDto,
  SharingPoliciesResponse,
  SharingPolicyDto,
  SharingPolicyInput,
  TransparencyDto,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../../api/client';

const id = encodeURIComponent;
const coopBase = (coopId: string) => `/api/console/cooperatives/${id(coopId)}`;

/** Sharing policies, settlement, dividends, impact receipts and the transparency page, through the shared client. */
export const ledgerApi = {
  policies: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<SharingPoliciesResponse>(`${coopBase(coopId)}/sharing-policies`, { signal }),
  createPolicy: (c: ApiClient, coopId: string, body: SharingPolicyInput) =>
    c.request<SharingPolicyDto>(`${coopBase(coopId)}/sharing-policies`, { method: 'POST', body }),
  settlement: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<SettlementOverview>(`${coopBase(coopId)}/settlement-runs`, { signal }),
  startRun: (c: ApiClient, coopId: string) =>
    c.request<SettlementRunDto>(`${coopBase(coopId)}/settlement-runs`, { method: 'POST' }),
  run: (c: ApiClient, coopId: string, runId: string, signal?: AbortSignal) =>
    c.request<SettlementRunDto>(`${coopBase(coopId)}/settlement-runs/${id(runId)}`, { signal }),
  previewDividend: (c: ApiClient, coopId: string, body: DividendRequest) =>
    c.request<DividendPreviewDto>(`${coopBase(coopId)}/dividends/preview`, { method: 'POST', body }),
  postDividend: (c: ApiClient, coopId: string, body: DividendRequest) =>
    c.request<DividendPreviewDto>(`${coopBase(coopId)}/dividends`, { method: 'POST', body }),
  impact: (c: ApiClient, orderId: string, signal?: AbortSignal) =>
    c.request<ImpactReceiptDto>(`/api/orders/${id(orderId)}/impact`, { signal }),
  transparency: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<TransparencyDto>(`/api/cooperatives/${id(coopId)}/transparency`, {
      signal,
      auth: false,
      retryOnUnauthorized: false,
    }),
  /** The signed chain heads kept for the cooperative (daily and at each settlement), newest first; public. */
  heads: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<LedgerHeadHistoryDto>(`/api/cooperatives/${id(coopId)}/ledger/heads`, {
      signal,
      auth: false,
      retryOnUnauthorized: false,
    }),
  publicKey: (c: ApiClient, signal?: AbortSignal) =>
    c.request<LedgerPublicKeyDto>('/api/ledger/public-key', { signal, auth: false, retryOnUnauthorized: false }),
};

export const ledgerKeys = {
  policies: (coopId: string) => ['ledger', 'policies', coopId] as const,
  settlement: (coopId: string) => ['ledger', 'settlement', coopId] as const,
  run: (coopId: string, runId: string) => ['ledger', 'run', coopId, runId] as const,
  impact: (orderId: string) => ['ledger', 'impact', orderId] as const,
  transparency: (coopId: string) => ['ledger', 'transparency', coopId] as const,
  heads: (coopId: string) => ['ledger', 'heads', coopId] as const,
  publicKey: () => ['ledger', 'public-key'] as const,
};
