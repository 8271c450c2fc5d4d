import type {
  ConsoleShow,
  CreateShowRequest,
  NotificationPage,
  Page,
  ShowDetail,
  ShowListItem,
  UpdateShowRequest,
} from '@xiangbo/contracts';
import type { ApiClient } from '../../api/client';

/** The notification centre's list (and its unread count, shown on /me). */
export const NOTIFICATIONS_KEY = ['live', 'notifications'] as const;

/** The live feature's REST calls (the room itself talks over socket.io: see use-live-room.ts). */
export const liveApi = {
  list: (c: ApiClient, status: 'live' | 'scheduled' | 'ended', pageSize = 20, signal?: AbortSignal) =>
    c.request<Page<ShowListItem>>(`/api/shows?status=${status}&pageSize=${pageSize}`, { signal }),
  detail: (c: ApiClient, id: string, signal?: AbortSignal) =>
    c.request<ShowDetail>(`/api/shows/${encodeURIComponent(id)}`, { signal }),
  subscribe: (c: ApiClient, id: string, on: boolean) =>
    c.request<void>(`/api/shows/${encodeURIComponent(id)}/subscription`, { method: on ? 'PUT' : 'DELETE' }),
  follow: (c: ApiClient, cooperativeId: string, on: boolean) =>
    c.request<void>(`/api/follows/${encodeURIComponent(cooperativeId)}`, { method: on ? 'PUT' : 'DELETE' }),

  notifications: (c: ApiClient, signal?: AbortSignal) =>
    c.request<NotificationPage>('/api/notifications?pageSize=50', { signal }),
  markRead: (c: ApiClient, id: string) =>
    c.request<void>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' }),
  markAllRead: (c: ApiClient) => c.request<void>('/api/notifications/read-all', { method: 'POST' }),

  consoleList: (c: ApiClient, coopId: string, signal?: AbortSignal) =>
    c.request<ConsoleShow[]>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/shows`, { signal }),
  consoleGet: (c: ApiClient, id: string, signal?: AbortSignal) =>
    c.request<ConsoleShow>(`/api/console/shows/${encodeURIComponent(id)}`, { signal }),
  create: (c: ApiClient, coopId: string, body: CreateShowRequest) =>
    c.request<ConsoleShow>(`/api/console/cooperatives/${encodeURIComponent(coopId)}/shows`, { method: 'POST', body }),
  update: (c: ApiClient, id: string, body: UpdateShowRequest) =>
    c.request<ConsoleShow>(`/api/console/shows/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  transition: (c: ApiClient, id: string, action: 'start' | 'end' | 'cancel') =>
    c.request<ConsoleShow>(`/api/console/shows/${encodeURIComponent(id)}/${action}`, { method: 'POST' }),
};
