import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StreamSettings } from '@xiangbo/contracts';
import type { ApiClient } from '../../../api/client';
import { useApiClient } from '../../../auth/auth-context';

/** The host's stream settings: where to push the video, and what the media server receives now. */
export const streamApi = {
  get: (c: ApiClient, showId: string, signal?: AbortSignal) =>
    c.request<StreamSettings>(`/api/console/shows/${encodeURIComponent(showId)}/stream`, { signal }),
  resetKey: (c: ApiClient, showId: string) =>
    c.request<StreamSettings>(`/api/console/shows/${encodeURIComponent(showId)}/stream/reset-key`, { method: 'POST' }),
};

export const streamKeys = {
  settings: (showId: string) => ['live', 'stream', showId] as const,
};

/** A show's stream settings, looked at every 2 s (the live figures of what arrives). */
export function useStreamSettings(showId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: streamKeys.settings(showId),
    queryFn: ({ signal }) => streamApi.get(client, showId, signal),
    refetchInterval: 2000,
  });
}

/** A new stream key (the old one stops working); the settings show it at once. */
export function useResetStreamKey(showId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => streamApi.resetKey(client, showId),
    onSuccess: (data) => queryClient.setQueryData(streamKeys.settings(showId), data),
  });
}
