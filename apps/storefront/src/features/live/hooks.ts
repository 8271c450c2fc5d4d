import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateShowRequest } from '@xiangbo/contracts';
import { useApiClient, useAuth } from '../../auth/auth-context';
import type { MutationCallbacks } from '../orders/api';
import { liveApi, NOTIFICATIONS_KEY } from './api';
import { showQuery } from './show-query';

/*
 * The live feature's queries as hooks, with one key factory. They sit apart from api.ts because the home page
 * imports liveApi (its show lists, pages/home-shows.ts) and must not carry these into its first load. The first
 * screen's query options (show-query.ts, pages/home-shows.ts) use the same key shapes.
 */

export const liveKeys = {
  all: ['live'] as const,
  shows: (status: string, pageSize: number, auth: string) => ['live', 'shows', status, pageSize, auth] as const,
  /** A show's page data, whatever the session (showQuery adds the session's status). */
  show: (showId: string) => ['live', 'show', showId] as const,
  notifications: () => NOTIFICATIONS_KEY,
  /** Every console list of shows (a cooperative's is `console(coopId)`). */
  consoleAll: () => ['live', 'console'] as const,
  console: (coopId: string) => ['live', 'console', coopId] as const,
  consoleShow: (showId: string) => ['live', 'console-show', showId] as const,
};

/** Shows of one status (the live ones refreshed every 30 s), as the signed-in buyer sees them. */
export function useShows(status: 'live' | 'scheduled' | 'ended', pageSize = 20) {
  const client = useApiClient();
  const { status: auth } = useAuth();
  return useQuery({
    queryKey: liveKeys.shows(status, pageSize, auth),
    queryFn: ({ signal }) => liveApi.list(client, status, pageSize, signal),
    enabled: auth !== 'loading',
    refetchInterval: status === 'live' ? 30_000 : false,
  });
}

/** A show's page data (see showQuery). */
export function useShow(showId: string) {
  const client = useApiClient();
  const { status } = useAuth();
  return useQuery(showQuery(client, showId, status));
}

/** Reloads a show's page data (it ended while watched, or its cooperative was followed). */
export function useReloadShow() {
  const queryClient = useQueryClient();
  return (showId: string) => queryClient.invalidateQueries({ queryKey: liveKeys.show(showId) });
}

/** 关注 a cooperative (or stop); `then` runs on success (what to reload). */
export function useFollow(cooperativeId: string, then: () => unknown) {
  const client = useApiClient();
  return useMutation({ mutationFn: (on: boolean) => liveApi.follow(client, cooperativeId, on), onSuccess: then });
}

/** 订阅 a show (or stop); every live list then reloads. */
export function useSubscribe(showId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => liveApi.subscribe(client, showId, on),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: liveKeys.all }),
  });
}

/** Reloads everything the live feature shows. */
export function useReloadLive() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: liveKeys.all });
}

/** The notification centre's list and unread count. */
export function useNotifications(staleTime?: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: liveKeys.notifications(),
    queryFn: ({ signal }) => liveApi.notifications(client, signal),
    ...(staleTime === undefined ? {} : { staleTime }),
  });
}

/** Marks one notification (an id) or all of them (no id) read; the list then reloads. */
export function useMarkRead() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: liveKeys.notifications() });
  const one = useMutation({ mutationFn: (id: string) => liveApi.markRead(client, id), onSuccess: refresh });
  const all = useMutation({ mutationFn: () => liveApi.markAllRead(client), onSuccess: refresh });
  return { one, all };
}

/** A cooperative's shows in the console. */
export function useConsoleShows(coopId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: liveKeys.console(coopId),
    queryFn: ({ signal }) => liveApi.consoleList(client, coopId, signal),
  });
}

/** Schedules a show; every live list reloads before `onSuccess`. */
export function useCreateShow(coopId: string, on: MutationCallbacks<unknown, CreateShowRequest>) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateShowRequest) => liveApi.create(client, coopId, body),
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: liveKeys.all });
      return on.onSuccess?.(...args);
    },
    onError: on.onError,
  });
}

/** Cancels a scheduled show; every live list reloads. */
export function useCancelShow(showId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => liveApi.transition(client, showId, 'cancel'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: liveKeys.all }),
  });
}

/** One show in the host console. */
export function useConsoleShow(showId: string) {
  const client = useApiClient();
  return useQuery({
    queryKey: liveKeys.consoleShow(showId),
    queryFn: ({ signal }) => liveApi.consoleGet(client, showId, signal),
  });
}

/** Starts or ends a show from the host console; the show is updated in place and the console lists reload. */
export function useShowTransition(showId: string) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: 'start' | 'end') => liveApi.transition(client, showId, action),
    onSuccess: (data) => {
      queryClient.setQueryData(liveKeys.consoleShow(showId), data);
      void queryClient.invalidateQueries({ queryKey: liveKeys.consoleAll() });
    },
  });
}
