import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { LIVE_LIMITS, type RoleGrant, type ShowStatus } from '@xiangbo/contracts';
import type { AppConfig } from '../config/config';
import type { UsersService } from '../users/users.service';
import type { LiveHub } from './live-hub';
import type { LiveReader } from './live-reader';
import { LiveException } from './live.exception';
import type { RoomRepository } from './room.repository';
import { LIKE_BUCKET, RoomService, type SocketIdentity } from './room.service';
import type { ShowsRepository } from './shows.repository';

const COOP = randomUUID();
const HOST = randomUUID();
const ADMIN = randomUUID();
const OTHER_HOST = randomUUID();
const VIEWER = randomUUID();
const NOW = Date.parse('2026-12-08T02:00:00Z');

const ROLES: Record<string, RoleGrant[]> = {
  [HOST]: [{ role: 'host', cooperativeId: COOP }],
  [ADMIN]: [{ role: 'coop_admin', cooperativeId: COOP }],
  [OTHER_HOST]: [{ role: 'host', cooperativeId: COOP }],
  [VIEWER]: [{ role: 'buyer', cooperativeId: null }],
};

/** The room service with its repositories and collaborators replaced by in-memory doubles (no database). */
function setup(
  opts: {
    status?: ShowStatus;
    exists?: boolean;
    slowModeSeconds?: number;
    recent?: number[];
    moderation?: { kind: 'mute' | 'ban'; until: Date | null }[];
  } = {},
) {
  const showId = randomUUID();
  const m = { tag: 'tx' } as unknown as EntityManager;
  const show = { id: showId, status: opts.status ?? 'live', cooperative_id: COOP, host_id: HOST };
  const shows = {
    forAccess: jest.fn(async () => (opts.exists === false ? null : show)),
    unpin: jest.fn(async () => undefined),
    setSlowMode: jest.fn(async () => undefined),
  };
  const repo = {
    lockSender: jest.fn(async () => undefined),
    chatContext: jest.fn(async () =>
      opts.exists === false
        ? null
        : {
            status: show.status,
            slow_mode_seconds: opts.slowModeSeconds ?? 0,
            now: NOW,
            recent: opts.recent ?? [],
          },
    ),
    moderation: jest.fn(async () => opts.moderation ?? []),
    insertChat: jest.fn(
      async (
        _m: unknown,
        msg: { showId: string; userId: string; displayName: string; text: string; fromHost: boolean },
      ) => ({
        id: 'msg-1',
        user_id: msg.userId,
        display_name: msg.displayName,
        text: msg.text,
        from_host: msg.fromHost,
        created_at: new Date(NOW),
      }),
    ),
    isShowProduct: jest.fn(async () => true),
    insertPin: jest.fn(async () => undefined),
    deleteChat: jest.fn(async () => true),
    hideChatOf: jest.fn(async () => ['m1', 'm2']),
    mute: jest.fn(async () => new Date(NOW + 10 * 60_000)),
    ban: jest.fn(async () => undefined),
    lift: jest.fn(async () => undefined),
    viewerContext: jest.fn(async () => ({ banned: false, muted_until: null, roles: [] as RoleGrant[] })),
    liveUser: jest.fn(async (): Promise<{ display_name: string } | null> => ({ display_name: '小王' })),
  };
  const emitted: { room: string; event: string; payload: unknown }[] = [];
  const left: { room: string; rooms: string[] }[] = [];
  const hub = {
    change: jest.fn(),
    addLikes: jest.fn(),
    viewerCount: jest.fn(async () => 2),
    viewerRooms: (id: string) => [`show:${id}:p0`],
    namespace: {
      to: (room: string) => ({ emit: (event: string, payload: unknown) => emitted.push({ room, event, payload }) }),
      in: (room: string) => ({ socketsLeave: (rooms: string[]) => left.push({ room, rooms }) }),
    },
  };
  const reader = {
    pin: jest.fn(async () => ({ productId: 'p1' })),
    snapshot: jest.fn(async () => ({
      show: {
        id: showId,
        title: '木耳专场',
        status: show.status,
        cooperative_id: COOP,
        cooperative_name: '合作社',
        host_id: HOST,
        slow_mode_seconds: 0,
        likes: 0,
        stream: null,
      },
      pin: null,
      deal: null,
      chat: [],
      impact: null,
    })),
  };
  const users = { rolesOf: jest.fn(async (userId: string) => ROLES[userId] ?? []) };
  const db = {
    manager: { tag: 'db' },
    transaction: jest.fn(async (fn: (m: EntityManager) => unknown) => fn(m)),
  };
  const service = new RoomService(
    db as unknown as DataSource,
    repo as unknown as RoomRepository,
    shows as unknown as ShowsRepository,
    reader as unknown as LiveReader,
    hub as unknown as LiveHub,
    users as unknown as UsersService,
    { MEDIA_SERVER: 'off' } as unknown as AppConfig,
  );
  const as = (userId: string | null): SocketIdentity => ({ userId, displayName: '小王', showId });
  return { service, showId, m, repo, shows, hub, emitted, left, as };
}

async function refusal(p: Promise<unknown>): Promise<LiveException> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LiveException);
    return e as LiveException;
  }
  throw new Error('expected a refusal');
}

describe('RoomService rules (unit, no database)', () => {
  describe('host actions', () => {
    it('the show’s host and the coop_admin may; another host of the cooperative and a viewer are FORBIDDEN', async () => {
      for (const who of [HOST, ADMIN]) {
        const t = setup();
        await t.service.slowMode(t.as(who), { seconds: 30 });
        expect(t.shows.forAccess).toHaveBeenCalledWith(t.m, t.showId, true);
        expect(t.shows.setSlowMode).toHaveBeenCalledWith(t.m, t.showId, 30);
        expect(t.hub.change).toHaveBeenCalledWith(t.showId, { slowModeSeconds: 30 });
      }
      for (const who of [OTHER_HOST, VIEWER]) {
        const t = setup();
        expect(await refusal(t.service.slowMode(t.as(who), { seconds: 30 }))).toMatchObject({
          code: 'FORBIDDEN',
          status: 403,
        });
        expect(t.shows.setSlowMode).not.toHaveBeenCalled();
      }
    });

    it('pinning needs a live show and a product of the show; a null product only unpins', async () => {
      const ended = setup({ status: 'ended' });
      expect(await refusal(ended.service.pin(ended.as(HOST), 'p1'))).toMatchObject({ code: 'SHOW_NOT_LIVE' });
      const gone = setup({ exists: false });
      expect(await refusal(gone.service.pin(gone.as(HOST), 'p1'))).toMatchObject({ code: 'NOT_FOUND' });

      const notInShow = setup();
      notInShow.repo.isShowProduct.mockResolvedValueOnce(false);
      const e = await refusal(notInShow.service.pin(notInShow.as(HOST), 'p9'));
      expect(e).toMatchObject({ code: 'NOT_FOUND', extra: { field: 'productId' } });
      expect(notInShow.shows.unpin).not.toHaveBeenCalled();

      const t = setup();
      expect(await t.service.pin(t.as(HOST), 'p1')).toEqual({ productId: 'p1' });
      expect(t.shows.unpin).toHaveBeenCalledWith(t.m, t.showId);
      expect(t.repo.insertPin).toHaveBeenCalledWith(t.m, t.showId, 'p1', HOST);
      expect(await t.service.pin(t.as(HOST), null)).toBeNull();
      expect(t.repo.insertPin).toHaveBeenCalledTimes(1);
      expect(t.hub.change).toHaveBeenLastCalledWith(t.showId, { pin: null });
    });

    it('deleting a message works on an ended show too; a message not of the show is NOT_FOUND', async () => {
      const t = setup({ status: 'ended' });
      await t.service.deleteChat(t.as(HOST), 'msg-1');
      expect(t.repo.deleteChat).toHaveBeenCalledWith(t.m, t.showId, 'msg-1', HOST);
      expect(t.hub.change).toHaveBeenCalledWith(t.showId, { chatDeleted: ['msg-1'] });
      t.repo.deleteChat.mockResolvedValueOnce(false);
      expect(await refusal(t.service.deleteChat(t.as(HOST), 'other'))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('anonymous and not-joined sockets are refused before anything is read', async () => {
      const t = setup();
      expect(await refusal(t.service.mute(t.as(null), { userId: VIEWER, minutes: 5 }))).toMatchObject({
        code: 'NOT_SIGNED_IN',
      });
      expect(
        await refusal(t.service.ban({ userId: HOST, displayName: 'x', showId: null }, { userId: VIEWER })),
      ).toMatchObject({ code: 'NOT_JOINED' });
      expect(t.shows.forAccess).not.toHaveBeenCalled();
    });
  });

  describe('mute and ban', () => {
    it('the host and the cooperative’s staff cannot be muted or banned', async () => {
      for (const target of [HOST, ADMIN, OTHER_HOST]) {
        const t = setup();
        expect(await refusal(t.service.mute(t.as(ADMIN), { userId: target, minutes: 5 }))).toMatchObject({
          code: 'FORBIDDEN',
        });
        expect(await refusal(t.service.ban(t.as(HOST), { userId: target }))).toMatchObject({ code: 'FORBIDDEN' });
        expect(t.repo.mute).not.toHaveBeenCalled();
        expect(t.repo.ban).not.toHaveBeenCalled();
      }
    });

    it('a mute tells the viewer until when; 0 minutes lifts it', async () => {
      const t = setup();
      await t.service.mute(t.as(HOST), { userId: VIEWER, minutes: 10 });
      expect(t.repo.mute).toHaveBeenCalledWith(t.m, t.showId, VIEWER, 10, HOST);
      expect(t.emitted).toEqual([
        {
          room: `user:${VIEWER}`,
          event: 'moderation',
          payload: { showId: t.showId, kind: 'muted', until: new Date(NOW + 10 * 60_000).toISOString() },
        },
      ]);
      await t.service.mute(t.as(HOST), { userId: VIEWER, minutes: 0 });
      expect(t.repo.lift).toHaveBeenCalledWith(t.m, t.showId, VIEWER, 'mute');
      expect(t.emitted[1].payload).toEqual({ showId: t.showId, kind: 'muted', until: null });
    });

    it('a ban hides the viewer’s messages from everybody and takes them out of the room; lifting only tells them', async () => {
      const t = setup({ status: 'ended' });
      await t.service.ban(t.as(HOST), { userId: VIEWER });
      expect(t.repo.ban).toHaveBeenCalledWith(t.m, t.showId, VIEWER, HOST);
      expect(t.repo.hideChatOf).toHaveBeenCalledWith(t.m, t.showId, VIEWER, HOST);
      expect(t.hub.change).toHaveBeenCalledWith(t.showId, { chatDeleted: ['m1', 'm2'] });
      expect(t.left).toEqual([{ room: `user:${VIEWER}`, rooms: [`show:${t.showId}:p0`] }]);
      expect(t.emitted.map((e) => (e.payload as { kind: string }).kind)).toEqual(['banned']);

      await t.service.ban(t.as(HOST), { userId: VIEWER, lift: true });
      expect(t.repo.lift).toHaveBeenCalledWith(t.m, t.showId, VIEWER, 'ban');
      expect(t.repo.ban).toHaveBeenCalledTimes(1);
      expect(t.left).toHaveLength(1);
      expect(t.emitted.map((e) => (e.payload as { kind: string }).kind)).toEqual(['banned', 'unbanned']);
    });
  });

  describe('chat', () => {
    it('an empty or too long message is INVALID (field text) and nothing is read', async () => {
      const t = setup();
      expect(await refusal(t.service.chat(t.as(VIEWER), '   ', false))).toMatchObject({
        code: 'INVALID',
        extra: { field: 'text' },
      });
      expect(
        await refusal(t.service.chat(t.as(VIEWER), 'a'.repeat(LIVE_LIMITS.chatMaxLength + 1), false)),
      ).toMatchObject({ code: 'INVALID' });
      expect(t.repo.chatContext).not.toHaveBeenCalled();
    });

    it('a message is decided under the sender’s lock, over the longest window, and stored as sent', async () => {
      const t = setup();
      const msg = await t.service.chat(t.as(VIEWER), '  木耳多少钱一斤？ ', false);
      expect(t.repo.lockSender).toHaveBeenCalledWith(t.m, t.showId, VIEWER);
      expect(t.repo.chatContext).toHaveBeenCalledWith(
        t.m,
        t.showId,
        VIEWER,
        Math.max(LIVE_LIMITS.chatWindowSeconds, LIVE_LIMITS.maxSlowModeSeconds),
      );
      expect(msg).toMatchObject({ id: 'msg-1', userId: VIEWER, fromHost: false, text: '木耳多少钱一斤？' });
      expect(t.hub.change).toHaveBeenCalledWith(t.showId, { chat: [msg] });
    });

    it('only while live; not from a banned or muted viewer', async () => {
      const scheduled = setup({ status: 'scheduled' });
      expect(await refusal(scheduled.service.chat(scheduled.as(VIEWER), 'hi', false))).toMatchObject({
        code: 'SHOW_NOT_LIVE',
      });
      const gone = setup({ exists: false });
      expect(await refusal(gone.service.chat(gone.as(VIEWER), 'hi', false))).toMatchObject({ code: 'NOT_FOUND' });
      const banned = setup({ moderation: [{ kind: 'ban', until: null }] });
      expect(await refusal(banned.service.chat(banned.as(VIEWER), 'hi', false))).toMatchObject({ code: 'BANNED' });
      const until = new Date(NOW + 60_000);
      const muted = setup({ moderation: [{ kind: 'mute', until }] });
      const e = await refusal(muted.service.chat(muted.as(VIEWER), 'hi', false));
      expect(e).toMatchObject({ code: 'MUTED' });
      expect(e.message).toContain(until.toISOString());
      for (const t of [scheduled, banned, muted]) expect(t.repo.insertChat).not.toHaveBeenCalled();
    });

    it(`at most ${LIVE_LIMITS.chatPerWindow} messages in ${LIVE_LIMITS.chatWindowSeconds} s, with when to retry`, async () => {
      const recent = Array.from({ length: LIVE_LIMITS.chatPerWindow }, (_, i) => NOW - 1000 * (i + 1));
      const t = setup({ recent });
      const e = await refusal(t.service.chat(t.as(VIEWER), 'hi', false));
      expect(e).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(e.extra.retryAfterMs).toBe(LIVE_LIMITS.chatWindowSeconds * 1000 - LIVE_LIMITS.chatPerWindow * 1000);
      const older = setup({ recent: recent.map((x) => x - LIVE_LIMITS.chatWindowSeconds * 1000) });
      await older.service.chat(older.as(VIEWER), 'hi', false);
      expect(older.repo.insertChat).toHaveBeenCalled();
    });

    it('slow mode holds viewers back but not the host', async () => {
      const t = setup({ slowModeSeconds: 30, recent: [NOW - 10_000] });
      const e = await refusal(t.service.chat(t.as(VIEWER), 'hi', false));
      expect(e).toMatchObject({ code: 'SLOW_MODE', extra: { retryAfterMs: 20_000 } });
      await t.service.chat(t.as(HOST), 'hi', true);
      expect(t.repo.insertChat).toHaveBeenCalledWith(t.m, expect.objectContaining({ userId: HOST, fromHost: true }));
    });
  });

  describe('likes', () => {
    it(`signed-in only; ${LIKE_BUCKET.capacity} at once per user, then RATE_LIMITED`, async () => {
      const t = setup();
      expect(await refusal(t.service.like(t.as(null), 1))).toMatchObject({ code: 'NOT_SIGNED_IN' });
      await t.service.like(t.as(VIEWER), LIKE_BUCKET.capacity);
      expect(t.hub.addLikes).toHaveBeenCalledWith(t.showId, LIKE_BUCKET.capacity);
      expect(await refusal(t.service.like(t.as(VIEWER), 5))).toMatchObject({ code: 'RATE_LIMITED' });
      expect(t.hub.addLikes).toHaveBeenCalledTimes(1);
      await t.service.like(t.as(HOST), 5); // another user has their own allowance
      expect(t.hub.addLikes).toHaveBeenCalledTimes(2);
    });
  });

  describe('joining', () => {
    it('a banned viewer cannot join; a cancelled show does not exist; the host joins as host', async () => {
      const t = setup();
      t.repo.viewerContext.mockResolvedValueOnce({ banned: true, muted_until: null, roles: [] });
      expect(await refusal(t.service.state(t.as(VIEWER), t.showId))).toMatchObject({ code: 'BANNED' });
      t.repo.viewerContext.mockResolvedValueOnce({ banned: false, muted_until: null, roles: ROLES[HOST] });
      const joined = await t.service.state(t.as(HOST), t.showId);
      expect(joined.canHost).toBe(true);
      expect(joined.state.you).toEqual({ userId: HOST, canHost: true, mutedUntil: null, banned: false });
      const anonymous = await t.service.state(t.as(null), t.showId);
      expect(anonymous.canHost).toBe(false);
      expect(t.repo.viewerContext).toHaveBeenCalledTimes(2);

      const cancelled = setup({ status: 'cancelled' });
      expect(await refusal(cancelled.service.state(cancelled.as(VIEWER), cancelled.showId))).toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('the handshake knows only live accounts', async () => {
      const t = setup();
      expect(await t.service.identity(VIEWER)).toEqual({ displayName: '小王' });
      t.repo.liveUser.mockResolvedValueOnce(null);
      expect(await t.service.identity(VIEWER)).toBeNull();
    });
  });
});
