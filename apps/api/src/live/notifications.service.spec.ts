import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvents } from '../common/domain-events';
import { LiveException, LiveRestCode } from './live.exception';
import type { NotificationRow, NotificationsRepository } from './notifications.repository';
import {
  type Delivered,
  type NotificationChannel,
  NotificationsService,
  type SocketNotificationChannel,
} from './notifications.service';

const USER = randomUUID();
const row = (over: Partial<NotificationRow> = {}): NotificationRow => ({
  id: randomUUID(),
  user_id: USER,
  kind: 'show_live',
  title: '木耳专场',
  body: '柞水县木耳合作社',
  link: '/live/1',
  read_at: null,
  created_at: new Date('2026-12-08T02:00:00Z'),
  ...over,
});

/** The notification centre with its repository, channels and events replaced by in-memory doubles (no database). */
function setup() {
  const repo = {
    answered: jest.fn(async () => [row({ kind: 'message_received' })]),
    conversationRead: jest.fn(async () => undefined),
    groupDecided: jest.fn(async () => [row({ kind: 'group_formed' })]),
    balanceDue: jest.fn(async () => [] as NotificationRow[]),
    parcelMoved: jest.fn(async () => [row({ kind: 'parcel_delivered' })]),
    forShow: jest.fn(async () => [row(), row({ user_id: 'other' })]),
    page: jest.fn(async () => [row({ read_at: new Date('2026-12-08T03:00:00Z') })]),
    counts: jest.fn(async () => ({ total: 12, unread: 3 })),
    markRead: jest.fn(async () => true),
    markAllRead: jest.fn(async () => undefined),
  };
  const delivered: { channel: string; items: Delivered[] }[] = [];
  const channel = (name: string, fail = false): NotificationChannel => ({
    name,
    deliver: jest.fn(async (items: Delivered[]) => {
      if (fail) throw new Error(`${name} is down`);
      delivered.push({ channel: name, items });
    }),
  });
  const socket = channel('socket', true);
  const push = channel('push');
  const handlers = new Map<string, (e: Record<string, unknown>) => void>();
  const events = { on: jest.fn((name: string, h: (e: Record<string, unknown>) => void) => handlers.set(name, h)) };
  const db = { manager: { tag: 'db' } };
  const service = new NotificationsService(
    db as unknown as DataSource,
    repo as unknown as NotificationsRepository,
    socket as unknown as SocketNotificationChannel,
    events as unknown as DomainEvents,
    [push],
  );
  return { service, repo, socket, push, delivered, handlers, db };
}

describe('NotificationsService rules (unit, no database)', () => {
  it('delivers to every channel; a failing channel does not stop the others; nothing to deliver: no call', async () => {
    const t = setup();
    const items = await t.service.answered('conv-1');
    expect(t.repo.answered).toHaveBeenCalledWith(t.db.manager, 'conv-1');
    expect(items).toEqual([{ userId: USER, notification: expect.objectContaining({ kind: 'message_received' }) }]);
    expect(t.socket.deliver).toHaveBeenCalledWith(items);
    expect(t.delivered).toEqual([{ channel: 'push', items }]);

    await t.service.balanceDue('presale-1');
    expect(t.push.deliver).toHaveBeenCalledTimes(1);
  });

  it('show notifications are written in the caller’s transaction and not delivered before its commit', async () => {
    const t = setup();
    const m = { tag: 'tx' } as unknown as EntityManager;
    const items = await t.service.forShow(m, 'show-1', 'show_live', 'subscribers_and_followers');
    expect(t.repo.forShow).toHaveBeenCalledWith(m, 'show-1', 'show_live', 'subscribers_and_followers');
    expect(items.map((i) => i.userId)).toEqual([USER, 'other']);
    expect(t.push.deliver).not.toHaveBeenCalled();
  });

  it('events word the kind from the status: group_<status>, parcel_<status>', async () => {
    const t = setup();
    await t.service.groupDecided('g1', 'failed');
    expect(t.repo.groupDecided).toHaveBeenCalledWith(t.db.manager, 'g1', 'group_failed');
    await t.service.parcelMoved('o1', 'delivered');
    expect(t.repo.parcelMoved).toHaveBeenCalledWith(t.db.manager, 'o1', 'parcel_delivered');
  });

  it('a conversation read by the cooperative does not read the buyer’s entry; a failing write is not the caller’s', async () => {
    const t = setup();
    t.service.onModuleInit();
    t.handlers.get('conversation.read')?.({ conversationId: 'c1', side: 'cooperative' });
    expect(t.repo.conversationRead).not.toHaveBeenCalled();
    t.handlers.get('conversation.read')?.({ conversationId: 'c1', side: 'buyer' });
    expect(t.repo.conversationRead).toHaveBeenCalledWith(t.db.manager, 'c1');
    t.repo.answered.mockRejectedValueOnce(new Error('db down'));
    expect(() => t.handlers.get('conversation.answered')?.({ conversationId: 'c2' })).not.toThrow();
    await new Promise((r) => setImmediate(r));
  });

  it('the list pages from the offset of the page, with the counts, as contract shapes', async () => {
    const t = setup();
    const page = await t.service.list(USER, 3, 20);
    expect(t.repo.page).toHaveBeenCalledWith(t.db.manager, USER, 20, 40);
    expect(page).toMatchObject({ unread: 3, total: 12, page: 3, pageSize: 20 });
    expect(page.items[0]).toEqual({
      id: expect.any(String),
      kind: 'show_live',
      title: '木耳专场',
      body: '柞水县木耳合作社',
      link: '/live/1',
      readAt: '2026-12-08T03:00:00.000Z',
      createdAt: '2026-12-08T02:00:00.000Z',
    });
  });

  it('marking read: a malformed id or another user’s notification is 404 NOTIFICATION_NOT_FOUND', async () => {
    const t = setup();
    const e = await t.service.markRead(USER, 'nope').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LiveException);
    expect(e).toMatchObject({ code: LiveRestCode.NOTIFICATION_NOT_FOUND, status: 404 });
    expect(t.repo.markRead).not.toHaveBeenCalled();

    const id = randomUUID();
    await t.service.markRead(USER, id);
    expect(t.repo.markRead).toHaveBeenCalledWith(t.db.manager, USER, id);
    t.repo.markRead.mockResolvedValueOnce(false);
    await expect(t.service.markRead(USER, id)).rejects.toMatchObject({ code: LiveRestCode.NOTIFICATION_NOT_FOUND });
  });
});
