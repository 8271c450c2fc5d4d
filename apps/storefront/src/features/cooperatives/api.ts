import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdminCooperativeApplication,
  BulkLinkMembersRequest,
  BulkLinkMembersResponse,
  ConsoleCooperative,
  CooperativeApplicationRequest,
  CooperativeStaff,
  CooperativeStatus,
  CreateInvitationRequest,
  LinkMemberRequest,
  MemberView,
  MyCooperativeApplication,
  MyInvitation,
  Page,
  ProductListResponse,
  PublicCooperative,
  PublicCooperativeSummary,
  StaffInvitationView,
  StaffRole,
  UpdateCooperativeProfileRequest,
  UpdateMemberRequest,
} from '@xiangbo/contracts';
import { isApiError, type ApiClient } from '../../api/client';
import { useApiClient } from '../../auth/auth-context';

/** Every call of the cooperatives feature, as TanStack Query hooks over the typed client. */

export const coopKeys = {
  all: ['coop'] as const,
  myApplications: ['coop', 'my-applications'] as const,
  myInvitations: ['coop', 'my-invitations'] as const,
  publicList: (q: string, page: number) => ['coop', 'public-list', q, page] as const,
  publicOne: (id: string) => ['coop', 'public', id] as const,
  products: (id: string) => ['coop', 'products', id] as const,
  adminApplications: (status: CooperativeStatus) => ['coop', 'admin-applications', status] as const,
  console: (id: string) => ['coop', 'console', id] as const,
  staff: (id: string) => ['coop', 'staff', id] as const,
  members: (id: string, state: string, page: number) => ['coop', 'members', id, state, page] as const,
  membersOf: (id: string) => ['coop', 'members', id] as const,
};

const enc = encodeURIComponent;

// ---------- Applying ----------

export function useMyApplications(enabled = true) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.myApplications,
    queryFn: ({ signal }) =>
      client.request<MyCooperativeApplication[]>('/api/cooperatives/mine/applications', { signal }),
    enabled,
  });
}

export function useApply() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, logo }: { body: CooperativeApplicationRequest; logo: File | null }) => {
      const application = await client.request<MyCooperativeApplication>('/api/cooperatives', { method: 'POST', body });
      let logoError: unknown = null;
      if (logo) {
        try {
          await uploadLogo(client, application.id, logo);
        } catch (e) {
          logoError = e; // the application stands; the logo can be uploaded again
        }
      }
      return { application, logoError };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: coopKeys.myApplications }),
  });
}

/** Multipart upload of a logo (field `logo`) through the shared client: token, one refresh on 401, ApiError. */
export function uploadLogo(client: ApiClient, cooperativeId: string, file: File): Promise<{ logoUrl: string }> {
  const form = new FormData();
  form.append('logo', file);
  return client.request<{ logoUrl: string }>(`/api/cooperatives/${enc(cooperativeId)}/logo`, {
    method: 'POST',
    body: form,
  });
}

// ---------- Public ----------

export function usePublicCooperatives(q: string, page: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.publicList(q, page),
    queryFn: ({ signal }) =>
      client.request<Page<PublicCooperativeSummary>>(
        `/api/cooperatives?page=${page}&pageSize=12${q ? `&q=${enc(q)}` : ''}`,
        {
          signal,
        },
      ),
    placeholderData: (previous) => previous,
  });
}

export function usePublicCooperative(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.publicOne(id),
    queryFn: ({ signal }) => client.request<PublicCooperative>(`/api/cooperatives/${enc(id)}`, { signal }),
    retry: false,
  });
}

/** The cooperative's published products (catalogue API); an empty list when the catalogue cannot answer. */
export function useCooperativeProducts(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.products(id),
    queryFn: async ({ signal }) => {
      try {
        return await client.request<ProductListResponse>(`/api/products?cooperativeId=${enc(id)}&pageSize=20`, {
          signal,
        });
      } catch (e) {
        if (isApiError(e) && e.status >= 400 && e.status < 500) return { items: [], total: 0, page: 1, pageSize: 20 };
        throw e;
      }
    },
    retry: false,
  });
}

// ---------- Platform review ----------

export function useAdminApplications(status: CooperativeStatus) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.adminApplications(status),
    queryFn: ({ signal }) =>
      client.request<Page<AdminCooperativeApplication>>(`/api/admin/cooperatives?status=${status}&pageSize=50`, {
        signal,
      }),
  });
}

export function useReview() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: 'approve' | 'reject'; reason?: string }) =>
      client.request<MyCooperativeApplication>(`/api/admin/cooperatives/${enc(id)}/${decision}`, {
        method: 'POST',
        body: decision === 'reject' ? { reason } : undefined,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['coop', 'admin-applications'] }),
  });
}

// ---------- Console: profile ----------

export function useConsoleCooperative(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.console(id),
    queryFn: ({ signal }) => client.request<ConsoleCooperative>(`/api/console/cooperatives/${enc(id)}`, { signal }),
    retry: false,
  });
}

export function useUpdateProfile(id: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateCooperativeProfileRequest) =>
      client.request<ConsoleCooperative>(`/api/console/cooperatives/${enc(id)}`, { method: 'PATCH', body }),
    onSuccess: (data) => {
      qc.setQueryData(coopKeys.console(id), data);
      void qc.invalidateQueries({ queryKey: coopKeys.publicOne(id) });
    },
  });
}

export function useUploadLogo(id: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadLogo(client, id, file),
    onSuccess: () => qc.invalidateQueries({ queryKey: coopKeys.console(id) }),
  });
}

// ---------- Console: staff ----------

export function useStaff(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.staff(id),
    queryFn: ({ signal }) => client.request<CooperativeStaff>(`/api/console/cooperatives/${enc(id)}/staff`, { signal }),
  });
}

export function useStaffActions(id: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: coopKeys.staff(id) });
  const base = `/api/console/cooperatives/${enc(id)}/staff`;
  return {
    invite: useMutation({
      mutationFn: (body: CreateInvitationRequest) =>
        client.request<StaffInvitationView>(`${base}/invitations`, { method: 'POST', body }),
      onSuccess,
    }),
    revoke: useMutation({
      mutationFn: (invitationId: string) =>
        client.request<void>(`${base}/invitations/${enc(invitationId)}`, { method: 'DELETE' }),
      onSuccess,
    }),
    removeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: StaffRole }) =>
        client.request<void>(`${base}/${enc(userId)}/roles/${role}`, { method: 'DELETE' }),
      onSuccess,
    }),
  };
}

// ---------- Invitations (the invitee) ----------

export function useMyInvitations(enabled: boolean) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.myInvitations,
    queryFn: ({ signal }) => client.request<MyInvitation[]>('/api/invitations', { signal }),
    enabled,
    retry: false,
  });
}

export function useAcceptInvitation() {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const result = await client.request<{ cooperativeId: string; role: StaffRole }>(
        `/api/invitations/${enc(id)}/accept`,
        {
          method: 'POST',
        },
      );
      // The new role is in the database; a fresh session carries it to the console links.
      await client.refreshSession().catch(() => null);
      return result;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: coopKeys.myInvitations }),
  });
}

// ---------- Console: members ----------

export function useMembers(id: string, state: 'active' | 'left' | 'all', page: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: coopKeys.members(id, state, page),
    queryFn: ({ signal }) =>
      client.request<Page<MemberView>>(
        `/api/console/cooperatives/${enc(id)}/members?state=${state}&page=${page}&pageSize=50`,
        {
          signal,
        },
      ),
    placeholderData: (previous) => previous,
  });
}

export function useMemberActions(id: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: coopKeys.membersOf(id) });
  const base = `/api/console/cooperatives/${enc(id)}/members`;
  return {
    link: useMutation({
      mutationFn: (body: LinkMemberRequest) => client.request<MemberView>(base, { method: 'POST', body }),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ membershipId, body }: { membershipId: string; body: UpdateMemberRequest }) =>
        client.request<MemberView>(`${base}/${enc(membershipId)}`, { method: 'PATCH', body }),
      onSuccess,
    }),
    leave: useMutation({
      mutationFn: ({ membershipId, leftAt }: { membershipId: string; leftAt: string }) =>
        client.request<MemberView>(`${base}/${enc(membershipId)}/leave`, { method: 'POST', body: { leftAt } }),
      onSuccess,
    }),
  };
}

/**
 * 批量关联: previews (commit: false) or links (commit: true) the pasted lines; the members list reloads once lines
 * were linked, before `onSuccess`'s page reaction.
 */
export function useBulkLinkMembers(id: string, on: { onSuccess: (r: BulkLinkMembersResponse) => void }) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkLinkMembersRequest) =>
      client.request<BulkLinkMembersResponse>(`/api/console/cooperatives/${encodeURIComponent(id)}/members/bulk`, {
        method: 'POST',
        body,
      }),
    onSuccess: (r) => {
      if (r.committed) void qc.invalidateQueries({ queryKey: coopKeys.membersOf(id) });
      on.onSuccess(r);
    },
  });
}
