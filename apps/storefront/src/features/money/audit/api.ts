import type {
  AnswerFindingRequest,
  AttestationView,
  AttestPayoutRequest,
  AuditCooperative,
  AuditOverview,
  CallbackContact,
  CallbackSampleView,
  CloseFindingRequest,
  CreateCallbackSampleRequest,
  CreateFindingRequest,
  FindingView,
  PayoutToAttest,
  RecordCallbackRequest,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../../api/client';
import { downloadWithAuth } from '../payouts/api';

const id = encodeURIComponent;

/** The auditor's calls and the cooperative's answers to findings. */
export const auditApi = {
  cooperatives: (c: ApiClient, signal?: AbortSignal) =>
    c.request<AuditCooperative[]>('/api/audit/cooperatives', { signal }),
  overview: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<AuditOverview>(`/api/audit/cooperatives/${id(coopId)}/overview`, { signal }),
  findings: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<FindingView[]>(`/api/audit/cooperatives/${id(coopId)}/findings`, { signal }),
  raise: (c: ApiClient, coopId: string, body: CreateFindingRequest) =>
    c.request<FindingView>(`/api/audit/cooperatives/${id(coopId)}/findings`, { method: 'POST', body }),
  close: (c: ApiClient, findingId: string, body: CloseFindingRequest) =>
    c.request<FindingView>(`/api/audit/findings/${id(findingId)}/close`, { method: 'POST', body }),

  toAttest: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<PayoutToAttest[]>(`/api/audit/cooperatives/${id(coopId)}/payouts-to-attest`, { signal }),
  attest: (c: ApiClient, payoutId: string, body: AttestPayoutRequest) =>
    c.request<AttestationView>(`/api/audit/payouts/${id(payoutId)}/attest`, { method: 'POST', body }),
  samples: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<CallbackSampleView[]>(`/api/audit/cooperatives/${id(coopId)}/callback-samples`, { signal }),
  drawSample: (c: ApiClient, coopId: string, body: CreateCallbackSampleRequest) =>
    c.request<CallbackSampleView>(`/api/audit/cooperatives/${id(coopId)}/callback-samples`, { method: 'POST', body }),
  contact: (c: ApiClient, checkId: string) =>
    c.request<CallbackContact>(`/api/audit/callback-checks/${id(checkId)}/contact`),
  recordCallback: (c: ApiClient, checkId: string, body: RecordCallbackRequest) =>
    c.request<CallbackSampleView>(`/api/audit/callback-checks/${id(checkId)}`, { method: 'POST', body }),

  coopFindings: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<FindingView[]>(`/api/console/cooperatives/${id(coopId)}/findings`, { signal }),
  answer: (c: ApiClient, findingId: string, body: AnswerFindingRequest) =>
    c.request<FindingView>(`/api/console/findings/${id(findingId)}/answer`, { method: 'POST', body }),
};

export type LedgerExportFormat = 'jsonl' | 'csv' | 'csv-gbk' | 'xlsx';

/**
 * The cooperative's ledger export, built by the ledger feature; auditors and coop_admins. JSON Lines is the one to
 * verify; CSV (UTF-8 with BOM, or GBK) and XLSX hold the same transactions, a row per posting, for a spreadsheet.
 */
export function downloadLedgerExport(
  client: ApiClient,
  coopId: string,
  format: LedgerExportFormat = 'jsonl',
): Promise<void> {
  const base = `/api/cooperatives/${id(coopId)}/ledger/export`;
  const [query, file] =
    format === 'csv'
      ? ['?format=csv', `ledger-${coopId}.csv`]
      : format === 'csv-gbk'
        ? ['?format=csv&encoding=gbk', `ledger-${coopId}-gbk.csv`]
        : format === 'xlsx'
          ? ['?format=xlsx', `ledger-${coopId}.xlsx`]
          : ['', `ledger-${coopId}.jsonl`];
  return downloadWithAuth(client, base + query, file);
}

export type MoneySheet = 'statements' | 'payouts';
export type SheetFormat = 'csv' | 'csv-gbk' | 'xlsx';

/**
 * Household statements (农户对账单) or payouts (兑付记录) of a cooperative for a spreadsheet: CSV (UTF-8 with BOM),
 * CSV (GBK, older Excel) or XLSX; masked names unless `clearNames` (then each name read is access-logged).
 * coop_admins and the auditors assigned to the cooperative.
 */
export function downloadMoneySheet(
  client: ApiClient,
  coopId: string,
  sheet: MoneySheet,
  format: SheetFormat,
  clearNames = false,
): Promise<void> {
  const q = new URLSearchParams({ format: format === 'xlsx' ? 'xlsx' : 'csv' });
  if (format === 'csv-gbk') q.set('encoding', 'gbk');
  if (clearNames) q.set('names', 'clear');
  const ext = format === 'xlsx' ? 'xlsx' : format === 'csv-gbk' ? 'gbk.csv' : 'csv';
  return downloadWithAuth(
    client,
    `/api/cooperatives/${id(coopId)}/ledger/${sheet}?${q.toString()}`,
    `${sheet === 'statements' ? 'household-statements' : 'payouts'}-${coopId}.${ext}`,
  );
}
