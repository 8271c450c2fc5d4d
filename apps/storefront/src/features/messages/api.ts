import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  ChatMessageDto,
  ConversationList,
  ConversationSummary,
  MessagePage,
  OpenConversationRequest,
} from '@xiangbo/contracts';
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { apiErrorMessage } from '../../i18n/api-errors';
import i18n from '../../i18n/i18n';

/** Every call of the messages (客服) feature, as TanStack Query hooks over the shared client, with one key factory. */
export const messageKeys = {
  all: ['messages'] as const,
  mine: ['messages', 'mine'] as const,
  unread: ['messages', 'unread'] as const,
  inbox: (coopId: string) => ['messages', 'inbox', coopId] as const,
  conversation: (id: string) => ['messages', 'conversation', id] as const,
  history: (id: string) => ['messages', 'history', id] as const,
};

const enc = encodeURIComponent;

export function useMyConversations() {
  const client = useApiClient();
  return useQuery({
    queryKey: messageKeys.mine,
    queryFn: ({ signal }) => client.request<ConversationList>('/api/conversations', { signal }),
  });
}

/** The buyer's unread total (the badge on 我的 › 消息); signed out: nothing is asked. */
export function useUnreadMessages() {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery({
    queryKey: messageKeys.unread,
    enabled: status === 'signedIn',
    queryFn: ({ signal }) => client.request<{ unreadTotal: number }>('/api/conversations/unread', { signal }),
  });
}

export function useInbox(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: messageKeys.inbox(coopId),
    queryFn: ({ signal }) =>
      client.request<ConversationList>(`/api/console/cooperatives/${enc(coopId)}/conversations`, { signal }),
  });
}

export function useConversation(id: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: messageKeys.conversation(id),
    queryFn: ({ signal }) => client.request<ConversationSummary>(`/api/conversations/${enc(id)}`, { signal }),
  });
}

/** The history, newest page first in `pages`; "查看更早的消息" fetches the next older page. */
export function useHistory(id: string) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: messageKeys.history(id),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      client.request<MessagePage>(
        `/api/conversations/${enc(id)}/messages${pageParam ? `?before=${enc(pageParam)}` : ''}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextBefore,
  });
}

/** Oldest first, each message once (a live one that is also in a fetched page is not shown twice). */
export function flattenHistory(data: InfiniteData<MessagePage> | undefined): ChatMessageDto[] {
  const seen = new Set<string>();
  const out: ChatMessageDto[] = [];
  for (const page of [...(data?.pages ?? [])].reverse())
    for (const m of page.items)
      if (!seen.has(m.id)) {
        seen.add(m.id);
        out.push(m);
      }
  return out.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
}

/** A message that arrived (live, or the answer to one's own send) goes at the end of the newest page once. */
export function addToHistory(qc: QueryClient, message: ChatMessageDto) {
  qc.setQueryData<InfiniteData<MessagePage>>(messageKeys.history(message.conversationId), (data) => {
    if (!data || data.pages.some((p) => p.items.some((m) => m.id === message.id))) return data;
    const [newest, ...older] = data.pages;
    return { ...data, pages: [{ ...newest, items: [...newest.items, message] }, ...older] };
  });
}

/** A conversation's summary changed (new message, read): the lists, the badge and its own view follow. */
export function updateSummary(qc: QueryClient, summary: ConversationSummary) {
  qc.setQueryData(messageKeys.conversation(summary.id), summary);
  void qc.invalidateQueries({ queryKey: messageKeys.mine });
  void qc.invalidateQueries({ queryKey: messageKeys.unread });
  void qc.invalidateQueries({ queryKey: messageKeys.inbox(summary.cooperative.id) });
}

/**
 * Opens (or reuses) the conversation, then `then(summary)`: given here, not to mutate(), so it still runs when the
 * button was re-mounted meanwhile (a page re-rendered under it while the request was on its way).
 */
export function useOpenConversation(then?: (summary: ConversationSummary) => void) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: OpenConversationRequest) =>
      client.request<ConversationSummary>('/api/conversations', { method: 'POST', body }),
    onSuccess: (summary) => {
      qc.setQueryData(messageKeys.conversation(summary.id), summary);
      void qc.invalidateQueries({ queryKey: messageKeys.history(summary.id) });
      then?.(summary);
    },
  });
}

export function useSendPhoto(conversationId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (photo: File) => {
      const form = new FormData();
      form.append('photo', photo);
      return client.request<ChatMessageDto>(`/api/conversations/${enc(conversationId)}/photos`, {
        method: 'POST',
        body: form,
      });
    },
    onSuccess: (message) => addToHistory(qc, message),
  });
}

export function useMarkRead(conversationId: string) {
  const client = useApiClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => client.request<void>(`/api/conversations/${enc(conversationId)}/read`, { method: 'POST' }),
    onSuccess: () => {
      qc.setQueryData<ConversationSummary>(messageKeys.conversation(conversationId), (c) =>
        c ? { ...c, unread: 0 } : c,
      );
      void qc.invalidateQueries({ queryKey: messageKeys.mine });
      void qc.invalidateQueries({ queryKey: messageKeys.unread });
      void qc.invalidateQueries({ queryKey: ['messages', 'inbox'] });
    },
  });
}

/** A refusal in Chinese: the feature's own sentence for its codes, else the app's. */
export function messageErrorText(t: TFunction, code: string | null | undefined, fallback?: unknown): string {
  if (code && i18n.exists(`messages:errors.${code}`)) return i18n.t(`messages:errors.${code}` as never);
  if (fallback !== undefined) {
    if (isApiError(fallback) && i18n.exists(`messages:errors.${fallback.code}`))
      return i18n.t(`messages:errors.${fallback.code}` as never);
    return apiErrorMessage(t, fallback);
  }
  return i18n.t('messages:errors.INTERNAL' as never);
}
