import type {
  AnswerFindingRequest,
  AuditCooperative,
  AuditOverview,
  CloseFindingRequest,
  CreateFindingRequest,
  FindingView,
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

  coopFindings: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<FindingView[]>(`/api/console/cooperatives/${id(coopId)}/findings`, { signal }),
  answer: (c: ApiClient, findingId: string, body: AnswerFindingRequest) =>
    c.request<FindingView>(`/api/console/findings/${id(findingId)}/answer`, { method: 'POST', body }),
};

/** The cooperative's ledger export (JSON Lines), built by the ledger feature; auditors and coop_admins. */
export function downloadLedgerExport(client: ApiClient, coopId: string): Promise<void> {
  return downloadWithAuth(client, `/api/cooperatives/${id(coopId)}/ledger/export`, `ledger-${coopId}.jsonl`);
}
