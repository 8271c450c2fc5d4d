import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdminDisputeView,
  AfterSalesView,
  CooperativePromises,
  CreateAfterSalesRequest,
  DecideDisputeRequest,
  ReturnShipmentRequest,
} from '@xiangbo/contracts';
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import i18n from '../../i18n/i18n';

/** Every call of the after-sales feature, as TanStack Query hooks over the shared client, with one key factory. */
export const afterSalesKeys = {
  all: ['after-sales'] as const,
  order: (orderId: string) => ['after-sales', 'order', orderId] as const,
  cooperative: (coopId: string) => ['after-sales', 'cooperative', coopId] as const,
  promises: (coopId: string) => ['after-sales', 'promises', coopId] as const,
  disputes: (status: 'open' | 'decided') => ['after-sales', 'disputes', status] as const,
};
const enc = encodeURIComponent;

export function usePromises(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: afterSalesKeys.promises(coopId),
    queryFn: ({ signal }) =>
      client.request<CooperativePromises>(`/api/cooperatives/${enc(coopId)}/promises`, { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useSetPromises(coopId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CooperativePromises) =>
      client.request<CooperativePromises>(`/api/console/cooperatives/${enc(coopId)}/promises`, {
        method: 'PUT',
        body,
      }),
    onSuccess: (p) => qc.setQueryData(afterSalesKeys.promises(coopId), p),
  });
}

export function useOrderAfterSales(orderId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: afterSalesKeys.order(orderId),
    queryFn: ({ signal }) => client.request<AfterSalesView[]>(`/api/orders/${enc(orderId)}/after-sales`, { signal }),
  });
}

/** Creates the request, then uploads its photos one by one; the order's list and the order are read again. */
export function useCreateAfterSales(orderId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, photos }: { body: CreateAfterSalesRequest; photos: File[] }) => {
      let view = await client.request<AfterSalesView>(`/api/orders/${enc(orderId)}/after-sales`, {
        method: 'POST',
        body,
      });
      for (const photo of photos) {
        const form = new FormData();
        form.append('photo', photo);
        view = await client.request<AfterSalesView>(`/api/after-sales/${enc(view.id)}/photos`, {
          method: 'POST',
          body: form,
        });
      }
      return view;
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: afterSalesKeys.order(orderId) });
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

export function useShipReturn(orderId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ReturnShipmentRequest & { id: string }) =>
      client.request<AfterSalesView>(`/api/after-sales/${enc(id)}/return-shipment`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: afterSalesKeys.order(orderId) }),
  });
}

/** 申请平台介入: the buyer takes a refused (or unanswered) request to the platform, with a note. */
export function useEscalate(orderId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      client.request<AfterSalesView>(`/api/after-sales/${enc(id)}/escalation`, { method: 'POST', body: { note } }),
    onSettled: () => qc.invalidateQueries({ queryKey: afterSalesKeys.order(orderId) }),
  });
}

/** 平台管理 → 售后纠纷: the platform's queue, open (oldest first) or decided (latest first). */
export function useDisputes(status: 'open' | 'decided') {
  const client = useApiClient();
  return useQuery({
    queryKey: afterSalesKeys.disputes(status),
    queryFn: ({ signal }) =>
      client.request<AdminDisputeView[]>(`/api/admin/after-sales/disputes?status=${status}`, { signal }),
  });
}

export function useDecideDispute() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ disputeId, ...body }: DecideDisputeRequest & { disputeId: string }) =>
      client.request<AfterSalesView>(`/api/admin/after-sales/disputes/${enc(disputeId)}/decision`, {
        method: 'POST',
        body,
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['after-sales', 'disputes'] }),
  });
}

export function useCooperativeAfterSales(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: afterSalesKeys.cooperative(coopId),
    queryFn: ({ signal }) =>
      client.request<AfterSalesView[]>(`/api/console/cooperatives/${enc(coopId)}/after-sales`, { signal }),
  });
}

export function useDecideAfterSales(coopId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      step,
      accept,
      note,
    }: {
      id: string;
      step: 'decision' | 'received';
      accept?: boolean;
      note?: string;
    }) =>
      client.request<AfterSalesView>(`/api/console/after-sales/${enc(id)}/${step}`, {
        method: 'POST',
        body: step === 'decision' ? { accept, note } : { note },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: afterSalesKeys.cooperative(coopId) }),
  });
}

/** A refusal in Chinese: the feature's own sentence for its codes, else the app's (orders' codes included). */
export function afterSalesError(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    for (const ns of ['afterSales', 'orders'])
      if (i18n.exists(`${ns}:errors.${error.code}`)) return i18n.t(`${ns}:errors.${error.code}` as never);
  }
  return apiErrorMessage(t, error);
}
