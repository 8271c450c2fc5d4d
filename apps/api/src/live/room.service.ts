import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  LIVE_LIMITS,
  type ChatMessage,
  type RoleGrant,
  type PinnedProduct,
  type ShowState,
  type SlowMode,
  type UserBan,
  type UserMute,
} from '@xiangbo/contracts';
import { chatDecision, normalizeChatText, takeTokens, type TokenBucketState } from '@xiangbo/domain';
import { APP_CONFIG, AppConfig } from '../config/config';
import { showVideo } from '../media/playback';
import { UsersService } from '../users/users.service';
import { LiveException } from './live.exception';
import { LiveHub, rooms } from './live-hub';
import { chatDto, LiveReader, ShowRow } from './live-reader';
import { RoomRepository } from './room.repository';
import { showAccess } from './show-access';
import { ShowsRepository } from './shows.repository';

/** Who is acting on a socket: established at the handshake, never taken from a payload. */
export interface SocketIdentity {
  userId: string | null;
  displayName: string;
  /** The show this socket joined, if any. */
  showId: string | null;
}

/**
 * What viewers and hosts do in a live room. Every change is written to PostgreSQL in a transaction, and only
 * after it commits is it handed to the LiveHub for broadcast. Roles are read from the database for every host
 * action (a revoked role stops working at once).
 */
type Snapshot = Awaited<ReturnType<LiveReader['snapshot']>>;
interface SharedSnapshot {
  snap: Snapshot;
  viewers: number;
  asOf: number;
}
interface SnapshotBatch {
  waiting: { resolve: (s: SharedSnapshot) => void; reject: (e: unknown) => void }[];
  running: boolean;
}

/** Likes per user: 40 at once, 10 per second after that, whatever the number of sockets. */
export const LIKE_BUCKET = { capacity: 40, refillPerSecond: 10 };
const LIKE_BUCKETS_KEPT = 10_000;

@Injectable()
export class RoomService {
  private readonly batches = new Map<string, SnapshotBatch>();
  private readonly likeBuckets = new Map<string, TokenBucketState>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: RoomRepository,
    private readonly shows: ShowsRepository,
    private readonly reader: LiveReader,
    private readonly hub: LiveHub,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- viewers ---------------------------------------------------------------------------------------------

  /** Checks that the caller may watch the show and returns the whole current state. */
  async state(id: SocketIdentity, showId: string): Promise<{ state: ShowState; canHost: boolean }> {
    const [{ snap, viewers, asOf }, { banned, mutedUntil, roles }] = await Promise.all([
      this.sharedSnapshot(showId),
      id.userId
        ? this.viewerContext(showId, id.userId)
        : Promise.resolve({ banned: false, mutedUntil: null, roles: [] }),
    ]);
    if (!snap || snap.show.status === 'cancelled') throw new LiveException('NOT_FOUND', 'this show does not exist');
    const { show, pin, deal, chat } = snap;
    if (banned) throw new LiveException('BANNED', 'you were removed from this show by the host');
    const canHost = id.userId ? showAccess(id.userId, roles, toAccessShow(show)) === 'manage' : false;
    return {
      canHost,
      state: {
        showId,
        title: show.title,
        status: show.status,
        cooperative: { id: show.cooperative_id, name: show.cooperative_name },
        pin,
        deal,
        viewers,
        likes: show.likes,
        slowModeSeconds: show.slow_mode_seconds,
        video: showVideo(this.config, show.status, show.stream ?? null),
        chat,
        you: { userId: id.userId, canHost, mutedUntil, banned: false },
        asOf,
        impact: snap.impact,
      },
    };
  }

  /**
   * Joins read the show in batches: every viewer waiting when a read STARTS gets its result; those arriving
   * during it wait for the next read. Each joiner is already in the room when its read starts, so nothing that
   * commits afterwards can be missed (it arrives as a patch), and a crowd of 10,000 joining costs a few reads.
   */
  private sharedSnapshot(showId: string): Promise<SharedSnapshot> {
    return new Promise((resolve, reject) => {
      let b = this.batches.get(showId);
      if (!b) this.batches.set(showId, (b = { waiting: [], running: false }));
      b.waiting.push({ resolve, reject });
      if (!b.running) void this.runBatches(showId, b);
    });
  }

  private async runBatches(showId: string, b: SnapshotBatch) {
    b.running = true;
    while (b.waiting.length) {
      const batch = b.waiting.splice(0);
      const asOf = Date.now();
      try {
        const [snap, viewers] = await Promise.all([this.reader.snapshot(showId), this.hub.viewerCount(showId)]);
        for (const w of batch) w.resolve({ snap, viewers, asOf });
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    b.running = false;
    this.batches.delete(showId);
  }

  /** A signed-in viewer's ban, mute and roles (read fresh at every join), in one query. */
  private async viewerContext(
    showId: string,
    userId: string,
  ): Promise<{ banned: boolean; mutedUntil: string | null; roles: RoleGrant[] }> {
    const row = await this.repo.viewerContext(this.db.manager, showId, userId);
    return {
      banned: row.banned,
      mutedUntil: row.muted_until ? new Date(row.muted_until).toISOString() : null,
      roles: row.roles,
    };
  }

  /** The handshake's user: display name, and whether the account is live (holds any role). One query. */
  async identity(userId: string): Promise<{ displayName: string } | null> {
    const row = await this.repo.liveUser(this.db.manager, userId);
    return row ? { displayName: row.display_name } : null;
  }

  async chat(id: SocketIdentity, rawText: string, canHost: boolean): Promise<ChatMessage> {
    const { userId, showId } = signedInAndJoined(id);
    const normalized = normalizeChatText(rawText, LIVE_LIMITS.chatMaxLength);
    if (!normalized.ok) {
      throw new LiveException(
        'INVALID',
        normalized.reason === 'EMPTY'
          ? 'the message is empty'
          : `a message has at most ${LIVE_LIMITS.chatMaxLength} characters`,
        { field: 'text' },
      );
    }
    const message = await this.db.transaction(async (m) => {
      // One user's messages in one show are decided one at a time, across processes (rate limit holds).
      await this.repo.lockSender(m, showId, userId);
      const ctx = await this.repo.chatContext(
        m,
        showId,
        userId,
        Math.max(LIVE_LIMITS.chatWindowSeconds, LIVE_LIMITS.maxSlowModeSeconds),
      );
      if (!ctx) throw new LiveException('NOT_FOUND', 'this show does not exist');
      if (ctx.status !== 'live') throw new LiveException('SHOW_NOT_LIVE', 'chat opens when the show is live');
      const mod = await this.moderationOf(m, showId, userId);
      if (mod.banned) throw new LiveException('BANNED', 'you were removed from this show by the host');
      if (mod.mutedUntil) throw new LiveException('MUTED', `the host muted you until ${mod.mutedUntil}`);
      const decision = chatDecision(ctx.recent.map(Number), Number(ctx.now), {
        maxLength: LIVE_LIMITS.chatMaxLength,
        perWindow: LIVE_LIMITS.chatPerWindow,
        windowMs: LIVE_LIMITS.chatWindowSeconds * 1000,
        slowModeMs: canHost ? 0 : ctx.slow_mode_seconds * 1000,
      });
      if (!decision.ok) {
        throw new LiveException(
          decision.reason,
          decision.reason === 'SLOW_MODE'
            ? `slow mode: one message every ${ctx.slow_mode_seconds} s`
            : `at most ${LIVE_LIMITS.chatPerWindow} messages in ${LIVE_LIMITS.chatWindowSeconds} s`,
          { retryAfterMs: Math.ceil(decision.retryAfterMs) },
        );
      }
      const row = await this.repo.insertChat(m, {
        showId,
        userId,
        displayName: id.displayName.slice(0, 40),
        text: normalized.text,
        fromHost: canHost,
      });
      return chatDto(row as never);
    });
    this.hub.change(showId, { chat: [message] });
    return message;
  }

  /**
   * Likes come from signed-in viewers only (an anonymous socket costs nothing to open), and each user has one
   * allowance over all their sockets in this process: LIKE_BUCKET, on top of the per-message cap in the contract.
   */
  async like(id: SocketIdentity, count: number): Promise<void> {
    const { userId, showId } = signedInAndJoined(id);
    const now = Date.now();
    const r = takeTokens(this.likeBuckets.get(userId), LIKE_BUCKET, now, count);
    this.likeBuckets.set(userId, r.state);
    if (this.likeBuckets.size > LIKE_BUCKETS_KEPT) this.forgetFullLikeBuckets(now);
    if (!r.ok) throw new LiveException('RATE_LIMITED', 'too many likes', { retryAfterMs: r.retryAfterMs });
    this.hub.addLikes(showId, count);
  }

  /** Buckets idle long enough to be full again are the same as no bucket: drop them. */
  private forgetFullLikeBuckets(now: number) {
    const refillMs = (LIKE_BUCKET.capacity / LIKE_BUCKET.refillPerSecond) * 1000;
    for (const [userId, b] of this.likeBuckets) if (now - b.at >= refillMs) this.likeBuckets.delete(userId);
  }

  // ---- host ------------------------------------------------------------------------------------------------

  async pin(id: SocketIdentity, productId: string | null): Promise<PinnedProduct | null> {
    const { userId, showId } = signedInAndJoined(id);
    const pin = await this.db.transaction(async (m) => {
      await this.lockForHost(m, userId, showId);
      if (productId) {
        if (!(await this.repo.isShowProduct(m, showId, productId)))
          throw new LiveException('NOT_FOUND', 'this product is not part of the show', { field: 'productId' });
      }
      await this.shows.unpin(m, showId);
      if (!productId) return null;
      await this.repo.insertPin(m, showId, productId, userId);
      return this.reader.pin(showId, m);
    });
    this.hub.change(showId, { pin });
    return pin;
  }

  async deleteChat(id: SocketIdentity, messageId: string): Promise<void> {
    const { userId, showId } = signedInAndJoined(id);
    const found = await this.db.transaction(async (m) => {
      await this.lockForHost(m, userId, showId, false);
      return this.repo.deleteChat(m, showId, messageId, userId);
    });
    if (!found) throw new LiveException('NOT_FOUND', 'no such message in this show');
    this.hub.change(showId, { chatDeleted: [messageId] });
  }

  async mute(id: SocketIdentity, body: UserMute): Promise<void> {
    const { userId, showId } = signedInAndJoined(id);
    const until = await this.db.transaction(async (m) => {
      const show = await this.lockForHost(m, userId, showId, false);
      await this.assertNotStaff(m, body.userId, show);
      if (body.minutes === 0) {
        await this.repo.lift(m, showId, body.userId, 'mute');
        return null;
      }
      const until = await this.repo.mute(m, showId, body.userId, body.minutes, userId);
      return new Date(until).toISOString();
    });
    this.hub.namespace?.to(rooms.user(body.userId)).emit('moderation', { showId, kind: 'muted', until });
  }

  async ban(id: SocketIdentity, body: UserBan): Promise<void> {
    const { userId, showId } = signedInAndJoined(id);
    const hidden = await this.db.transaction(async (m) => {
      const show = await this.lockForHost(m, userId, showId, false);
      await this.assertNotStaff(m, body.userId, show);
      if (body.lift) {
        await this.repo.lift(m, showId, body.userId, 'ban');
        return [];
      }
      await this.repo.ban(m, showId, body.userId, userId);
      // A banned viewer's messages disappear from everybody's screen (kept, marked deleted).
      return this.repo.hideChatOf(m, showId, body.userId, userId);
    });
    const nsp = this.hub.namespace;
    if (body.lift) {
      nsp?.to(rooms.user(body.userId)).emit('moderation', { showId, kind: 'unbanned', until: null });
      return;
    }
    nsp?.to(rooms.user(body.userId)).emit('moderation', { showId, kind: 'banned', until: null });
    nsp?.in(rooms.user(body.userId)).socketsLeave(this.hub.viewerRooms(showId));
    if (hidden.length) this.hub.change(showId, { chatDeleted: hidden });
  }

  async slowMode(id: SocketIdentity, body: SlowMode): Promise<void> {
    const { userId, showId } = signedInAndJoined(id);
    await this.db.transaction(async (m) => {
      await this.lockForHost(m, userId, showId, false);
      await this.shows.setSlowMode(m, showId, body.seconds);
    });
    this.hub.change(showId, { slowModeSeconds: body.seconds });
  }

  /** Locks the show row (host actions on one show are serialised) and checks the caller runs it. */
  async lockForHost(m: EntityManager, userId: string, showId: string, mustBeLive = true): Promise<ShowRow> {
    const show = await this.shows.forAccess(m, showId, true);
    if (!show) throw new LiveException('NOT_FOUND', 'this show does not exist');
    if (showAccess(userId, await this.users.rolesOf(userId, m), toAccessShow(show)) !== 'manage') {
      throw new LiveException('FORBIDDEN', 'only the host of this show can do this');
    }
    if (mustBeLive && show.status !== 'live') throw new LiveException('SHOW_NOT_LIVE', 'the show is not live');
    return show as ShowRow;
  }

  private async assertNotStaff(m: EntityManager, targetId: string, show: ShowRow) {
    if (showAccess(targetId, await this.users.rolesOf(targetId, m), toAccessShow(show)) !== 'none') {
      throw new LiveException('FORBIDDEN', 'the host and the cooperative’s staff cannot be muted or banned');
    }
  }

  async moderationOf(
    m: EntityManager,
    showId: string,
    userId: string,
  ): Promise<{ mutedUntil: string | null; banned: boolean }> {
    const rows = await this.repo.moderation(m, showId, userId);
    const mute = rows.find((r) => r.kind === 'mute');
    return {
      banned: rows.some((r) => r.kind === 'ban'),
      mutedUntil: mute?.until ? new Date(mute.until).toISOString() : null,
    };
  }
}

export function toAccessShow(show: { cooperative_id: string; host_id: string }) {
  return { cooperativeId: show.cooperative_id, hostId: show.host_id };
}

function signedInAndJoined(id: SocketIdentity): { userId: string; showId: string } {
  if (!id.userId) throw new LiveException('NOT_SIGNED_IN', 'sign in to take part');
  if (!id.showId) throw new LiveException('NOT_JOINED', 'join a show first');
  return { userId: id.userId, showId: id.showId };
}
