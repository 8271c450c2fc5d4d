import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Namespace } from 'socket.io';
import { DataSource } from 'typeorm';
import type { HostStats, LiveClientEvents, LiveServerEvents, ShowPatch } from '@xiangbo/contracts';
import { PatchBuffer, RollingDelivery } from '@xiangbo/domain';
import { APP_CONFIG, AppConfig } from '../config/config';
import { broadcastFrame } from './fanout';

export type LiveNamespace = Namespace<LiveClientEvents, LiveServerEvents>;
export type PatchChange = Omit<ShowPatch, 'showId' | 'at'>;

/** Room names. A viewer is in exactly one slice or in `events` of its show (chosen at the handshake). */
export const rooms = {
  slice: (showId: string, k: number) => `show:${showId}:p${k}`,
  events: (showId: string) => `show:${showId}:e`,
  host: (showId: string) => `show:${showId}:h`,
  user: (userId: string) => `user:${userId}`,
};

/**
 * Leading edge: a slice that got fewer than LIVE_PATCH_BURST patches within the patch interval is sent a change at
 * once; only beyond that (or when a round of sends outlasts the interval: load) do changes wait and fold. 1 (the
 * default) folds every second change within the interval; 2 sends two changes in quick succession at once (the
 * fan-out bench's 10 updates/s at 1,000 viewers: see bench/live-fanout.ts).
 */
export function patchBurst(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.LIVE_PATCH_BURST ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error('LIVE_PATCH_BURST: must be a whole number from 1 to 16');
  return n;
}

/** Viewer and like counts: aggregated and broadcast at most this often per show (2/s). */
export const AGGREGATE_MS = 500;
const HOST_STATS_MS = 1000;
/** A process's viewer count in Redis is ignored once older than this (the process died). */
const VIEWER_FIELD_TTL_MS = 5000;

interface Aggregate {
  viewers: number;
  likes: number;
}

/**
 * The broadcast side of the live rooms. Every change is enqueued here AFTER its transaction committed. A short
 * collecting tick (`LIVE_TICK_MS`, 10 ms) resolves the changes (one stock query for many reservations) and hands them to the
 * rolling delivery: the show's viewers, in slices, each get everything that changed since their last message — at once
 * when the slice got fewer than LIVE_PATCH_BURST (1) messages within 40 ms (`LIVE_PATCH_INTERVAL_MS`), else folded —
 * slice after slice without pause while there is something to
 * send. With several processes, each tick's changes also go to the other processes through the socket.io Redis
 * adapter (server-side event), and every process folds its own and the others' changes into the patches it sends
 * its viewers. Viewer and like counts are aggregated per process and shared through Redis (viewers) and
 * PostgreSQL (likes), then sent by each process to its own sockets at a bounded rate.
 * Nothing here is authoritative: counts of this process's sockets and pending like increments only.
 */
@Injectable()
export class LiveHub implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveHub');
  readonly processId = randomUUID();
  private nsp: LiveNamespace | null = null;
  private redis: Redis | null = null;
  /** Changes committed in this process, not yet sent anywhere. */
  private readonly buffer = new PatchBuffer<ShowPatch>();
  /**
   * What this process delivers to its own viewers: its own changes and the other processes'. Targets 0 … slices − 1
   * are the patch slices, target `slices` the room of named-event viewers.
   */
  private readonly delivery: RollingDelivery<ShowPatch>;
  /** Collecting tick (ms): committed changes are resolved (one query per kind) and handed to delivery this often. */
  private readonly tickMs: number;
  /**
   * Viewers asking for patches are spread over this many rooms (slices) per show, sent one after the other (see
   * `RollingDelivery`); viewers of named events share one more room.
   */
  private readonly slices: number;
  private readonly sliceNameCache = new Map<string, string[]>();
  /** Patches written straight to the connections vs through engine.io (see `broadcastFrame`). */
  readonly fanout = { direct: 0, fallback: 0 };
  private pumping = false;
  private wake: NodeJS.Timeout | null = null;
  /** Resolved at the tick, with one query each (many reservations → one stock read). */
  private readonly resolvers: (() => Promise<void>)[] = [];
  private readonly localViewers = new Map<string, Set<string>>();
  private readonly pendingLikes = new Map<string, number>();
  private readonly pendingViewerKeys = new Map<string, Set<string>>();
  private readonly lastSent = new Map<string, Aggregate>();
  private readonly lastPeak = new Map<string, number>();
  private readonly lastStats = new Map<string, string>();
  private hostStatsProvider: ((showId: string) => Promise<HostStats>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tickMs = config.LIVE_TICK_MS;
    this.slices = config.LIVE_SLICES;
    // a change to a slice that got fewer than LIVE_PATCH_BURST messages within the interval goes out at once (leading
    // edge); what changes beyond that is folded into one
    this.delivery = new RollingDelivery<ShowPatch>(this.slices + 1, config.LIVE_PATCH_INTERVAL_MS, patchBurst());
  }

  attach(nsp: LiveNamespace, redis: Redis | null) {
    this.nsp = nsp;
    this.redis = redis;
    // Changes made on other processes, folded into this process's next tick.
    (nsp as unknown as RemoteNamespace).on(REMOTE_EVENT, (patches: ShowPatch[]) => {
      for (const p of patches) this.deliver(p.showId, p);
      this.kick();
    });
    this.stopped = false;
    this.schedule();
  }

  get namespace(): LiveNamespace | null {
    return this.nsp;
  }

  /** Called at each tick before flushing (e.g. to turn "stock of X changed" into figures with one query). */
  onTick(resolver: () => Promise<void>) {
    this.resolvers.push(resolver);
  }

  setHostStatsProvider(p: (showId: string) => Promise<HostStats>) {
    this.hostStatsProvider = p;
  }

  /** Enqueues a committed change of a show; it goes out with the next tick. */
  change(showId: string, patch: PatchChange): void {
    this.buffer.add(showId, { ...patch, showId, at: Date.now() });
  }

  // ---- viewers and likes (bounded rate) ------------------------------------------------------------------

  addViewer(showId: string, socketId: string) {
    let set = this.localViewers.get(showId);
    if (!set) this.localViewers.set(showId, (set = new Set()));
    set.add(socketId);
  }

  removeViewer(showId: string, socketId: string) {
    const set = this.localViewers.get(showId);
    set?.delete(socketId);
  }

  /** Unique viewers (summary): written in one INSERT per show and aggregate tick, not one per join. */
  addUniqueViewer(showId: string, viewerKey: string) {
    let set = this.pendingViewerKeys.get(showId);
    if (!set) this.pendingViewerKeys.set(showId, (set = new Set()));
    set.add(viewerKey.slice(0, 64));
  }

  addLikes(showId: string, n: number) {
    this.pendingLikes.set(showId, (this.pendingLikes.get(showId) ?? 0) + n);
  }

  /** Viewers of a show over all processes (Redis), or of this process when there is no Redis. */
  async viewerCount(showId: string): Promise<number> {
    const local = this.localViewers.get(showId)?.size ?? 0;
    if (!this.redis) return local;
    try {
      const fields = await this.redis.hgetall(viewerKey(showId));
      return sumFresh(fields, Date.now(), this.processId, local).total;
    } catch {
      return local;
    }
  }

  // ---- the tick ------------------------------------------------------------------------------------------

  /** Fixed-rate ticks: the next one is due a tick after this one STARTED (a slow flush does not add its time). */
  private schedule(startedAt = Date.now()) {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(1, this.tickMs - (Date.now() - startedAt)));
    this.timer.unref();
  }

  private async tick() {
    const startedAt = Date.now();
    try {
      await this.collect();
      this.ticks++;
      if (this.ticks % Math.max(1, Math.round(AGGREGATE_MS / this.tickMs)) === 0) await this.aggregate();
      if (this.ticks % Math.max(1, Math.round(HOST_STATS_MS / this.tickMs)) === 0) await this.hostStats();
    } catch (e) {
      if (!this.stopped) this.logger.warn({ err: e }, 'live tick failed');
    } finally {
      this.schedule(startedAt);
    }
  }

  /** Exposed for tests and for shutdown: sends everything pending now, whatever the interval. */
  async flushChanges(): Promise<void> {
    await this.collect();
    const nsp = this.nsp;
    if (!nsp) return;
    for (const x of this.delivery.drainAll(Date.now())) this.send(nsp, x.showId, x.target, x.patch);
  }

  /** Resolves the committed changes, shares them with the other processes and hands them to delivery. */
  private async collect(): Promise<void> {
    for (const r of this.resolvers) await r();
    const nsp = this.nsp;
    if (!nsp) return;
    const local = this.buffer.drain();
    // This process's changes go to the other processes (Redis adapter) as ONE server-side message per show and
    // tick; each process folds them with its own and the others' into ONE patch per viewer and tick, so adding
    // processes does not multiply what a viewer receives.
    if (this.redis && local.length)
      (nsp as unknown as RemoteNamespace).serverSideEmit(
        REMOTE_EVENT,
        local.map(([, p]) => p),
      );
    for (const [showId, patch] of local) this.deliver(showId, patch);
    if (local.length) this.kick();
  }

  /** Hands a change to delivery, for the show's rooms that have someone in this process. */
  private deliver(showId: string, patch: ShowPatch) {
    const names = this.sliceNames(showId);
    const local = this.nsp?.adapter.rooms;
    const events = rooms.events(showId);
    this.delivery.add(showId, patch, (k) => Boolean(local?.get(k < this.slices ? names[k] : events)?.size));
  }

  /**
   * Sends what is due, one slice at a time, yielding to the event loop between slices (a slice of 10,000 / 256
   * viewers is about a millisecond of system calls), so joins, chat and database replies are served in between:
   * the host's and the buyers' transactions are not held up behind a whole broadcast.
   */
  private kick() {
    if (this.pumping || this.stopped) return;
    if (this.wake) {
      clearTimeout(this.wake);
      this.wake = null;
    }
    this.pumping = true;
    setImmediate(() => this.pump());
  }

  private pump() {
    const nsp = this.nsp;
    const next = nsp && !this.stopped ? this.delivery.take(Date.now()) : { wakeAt: null };
    if ('patch' in next && nsp) {
      try {
        this.send(nsp, next.showId, next.target, next.patch);
      } catch (e) {
        this.logger.warn({ err: e }, 'live delivery failed');
      }
      setImmediate(() => this.pump());
      return;
    }
    this.pumping = false;
    if ('wakeAt' in next && next.wakeAt !== null) {
      this.wake = setTimeout(
        () => {
          this.wake = null;
          this.kick();
        },
        Math.max(1, next.wakeAt - Date.now()),
      );
      this.wake.unref();
    }
  }

  private send(nsp: LiveNamespace, showId: string, target: number, patch: ShowPatch) {
    const room = target < this.slices ? this.sliceNames(showId)[target] : rooms.events(showId);
    if (!nsp.adapter.rooms.get(room)?.size) return;
    if (target < this.slices) {
      const n = broadcastFrame(nsp as unknown as Namespace, room, 'show:patch', patch);
      this.fanout.direct += n.direct;
      this.fanout.fallback += n.fallback;
    } else emitNamed(nsp, room, patch, true);
  }

  /** The slice a new patch viewer of the show joins: the one with the fewest of this process's sockets. */
  sliceFor(showId: string): string {
    const names = this.sliceNames(showId);
    let best = names[0];
    let least = Infinity;
    for (const name of names) {
      const n = this.nsp?.adapter.rooms.get(name)?.size ?? 0;
      if (n < least) [best, least] = [name, n];
      if (n === 0) break;
    }
    return best;
  }

  /** Every room a viewer of the show can be in (to take someone out of the show). */
  viewerRooms(showId: string): string[] {
    return [...this.sliceNames(showId), rooms.events(showId), rooms.host(showId)];
  }

  /** The show's slice room names, made once per show (a join looks at all of them). */
  private sliceNames(showId: string): string[] {
    let names = this.sliceNameCache.get(showId);
    if (!names)
      this.sliceNameCache.set(showId, (names = Array.from({ length: this.slices }, (_, k) => rooms.slice(showId, k))));
    return names;
  }

  private async aggregate() {
    const nsp = this.nsp;
    if (!nsp) return;
    await this.flushUniqueViewers();
    for (const [showId, set] of this.localViewers)
      if (set.size === 0 && !this.pendingLikes.has(showId)) this.forget(showId);
    const showIds = [...new Set([...this.localViewers.keys(), ...this.pendingLikes.keys()])];
    if (!showIds.length) return;

    // Likes: durable first (one UPDATE per show with new likes), then read every show's total in one query.
    const likes = new Map<string, number>();
    for (const [showId, n] of this.pendingLikes) {
      this.pendingLikes.delete(showId);
      const [row] = await this.db
        .query(`UPDATE shows SET likes = likes + $2 WHERE id = $1 RETURNING likes`, [showId, n])
        .then(rowsOf);
      if (row) likes.set(showId, Number((row as { likes: number }).likes));
    }
    const rest = showIds.filter((id) => !likes.has(id));
    if (rest.length) {
      const rows: { id: string; likes: number; peak_viewers: number }[] = await this.db.query(
        `SELECT id, likes, peak_viewers FROM shows WHERE id = ANY($1::uuid[])`,
        [rest],
      );
      for (const r of rows) {
        likes.set(r.id, Number(r.likes));
        if (!this.lastPeak.has(r.id)) this.lastPeak.set(r.id, r.peak_viewers);
      }
    }

    // Viewers: this process's count goes to Redis; the sum of the fresh fields is the show's count.
    const viewers = await this.sharedViewerCounts(showIds);

    for (const showId of showIds) {
      const agg = { viewers: viewers.get(showId) ?? 0, likes: likes.get(showId) ?? 0 };
      const prev = this.lastSent.get(showId);
      if (prev && prev.viewers === agg.viewers && prev.likes === agg.likes) continue;
      this.lastSent.set(showId, agg);
      const patch: ShowPatch = { showId, at: Date.now() };
      if (prev?.viewers !== agg.viewers) patch.viewers = agg.viewers;
      if (prev?.likes !== agg.likes) patch.likes = agg.likes;
      this.deliver(showId, patch);
      this.kick();
      if (agg.viewers > (this.lastPeak.get(showId) ?? 0)) {
        this.lastPeak.set(showId, agg.viewers);
        await this.db.query(`UPDATE shows SET peak_viewers = $2 WHERE id = $1 AND peak_viewers < $2`, [
          showId,
          agg.viewers,
        ]);
      }
    }
  }

  async flushUniqueViewers(): Promise<void> {
    for (const [showId, keys] of this.pendingViewerKeys) {
      this.pendingViewerKeys.delete(showId);
      await this.db.query(
        `INSERT INTO show_viewers (show_id, viewer_key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [showId, [...keys]],
      );
    }
  }

  private async sharedViewerCounts(showIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const now = Date.now();
    for (const id of showIds) out.set(id, this.localViewers.get(id)?.size ?? 0);
    if (!this.redis) return out;
    try {
      const pipe = this.redis.pipeline();
      for (const id of showIds) {
        pipe.hset(viewerKey(id), this.processId, `${out.get(id)}:${now}`);
        pipe.pexpire(viewerKey(id), VIEWER_FIELD_TTL_MS * 6);
        pipe.hgetall(viewerKey(id));
      }
      const res = (await pipe.exec()) ?? [];
      showIds.forEach((id, i) => {
        const fields = (res[i * 3 + 2]?.[1] ?? {}) as Record<string, string>;
        const { total, stale } = sumFresh(fields, now, this.processId, out.get(id) ?? 0);
        out.set(id, total);
        if (stale.length) void this.redis?.hdel(viewerKey(id), ...stale).catch(() => undefined);
      });
    } catch (e) {
      this.logger.warn({ err: e }, 'viewer counts: Redis unavailable, showing this process only');
    }
    return out;
  }

  private async hostStats() {
    const nsp = this.nsp;
    if (!nsp || !this.hostStatsProvider) return;
    for (const showId of this.localViewers.keys()) {
      const hosts = nsp.adapter.rooms.get(rooms.host(showId))?.size ?? 0;
      if (!hosts) continue;
      const stats = await this.hostStatsProvider(showId);
      stats.viewers = this.lastSent.get(showId)?.viewers ?? stats.viewers;
      const key = JSON.stringify(stats);
      if (this.lastStats.get(showId) === key) continue;
      this.lastStats.set(showId, key);
      nsp.local.to(rooms.host(showId)).emit('host:stats', stats);
    }
  }

  /** Sends the host stats again at the next tick (a new host socket joined). */
  resendHostStats(showId: string) {
    this.lastStats.delete(showId);
  }

  private forget(showId: string) {
    this.localViewers.delete(showId);
    this.lastSent.delete(showId);
    this.lastStats.delete(showId);
    this.lastPeak.delete(showId);
    this.delivery.forget(showId);
    this.sliceNameCache.delete(showId);
    void this.redis?.hdel(viewerKey(showId), this.processId).catch(() => undefined);
  }

  async onApplicationShutdown() {
    if (this.timer) clearTimeout(this.timer);
    if (this.wake) clearTimeout(this.wake);
    this.stopped = true;
    await this.flushChanges().catch(() => undefined);
    await this.flushUniqueViewers().catch(() => undefined);
    if (this.redis) {
      const pipe = this.redis.pipeline();
      for (const id of this.localViewers.keys()) pipe.hdel(viewerKey(id), this.processId);
      await pipe.exec().catch(() => undefined);
    }
    this.nsp = null;
    this.redis = null;
  }
}

const REMOTE_EVENT = 'live:changes';
/** The namespace's server-to-server side (adapter): typed loosely, as socket.io types it per server. */
interface RemoteNamespace {
  serverSideEmit(event: string, patches: ShowPatch[]): void;
  on(event: string, listener: (patches: ShowPatch[]) => void): void;
}

const viewerKey = (showId: string) => `xb:live:viewers:${showId}`;

/** Sums the per-process counts written within the TTL; this process's own field is replaced by `local`. */
export function sumFresh(
  fields: Record<string, string>,
  now: number,
  self: string,
  local: number,
): { total: number; stale: string[] } {
  let total = local;
  const stale: string[] = [];
  for (const [proc, v] of Object.entries(fields)) {
    if (proc === self) continue;
    const [count, at] = v.split(':').map(Number);
    if (!Number.isFinite(count) || !Number.isFinite(at) || now - at > VIEWER_FIELD_TTL_MS) stale.push(proc);
    else total += count;
  }
  return { total, stale };
}

/** The named events of a patch, for clients that did not ask for patches (each at most once per patch interval). */
function emitNamed(nsp: LiveNamespace, room: string, p: ShowPatch, local = false) {
  const to = () => (local ? nsp.local.to(room) : nsp.to(room));
  if (p.status !== undefined) to().emit('show:status', { showId: p.showId, status: p.status });
  if (p.pin !== undefined) to().emit('pin:changed', { pin: p.pin });
  if (p.deal) to().emit('deal:updated', p.deal);
  for (const [productId, stock] of Object.entries(p.stock ?? {})) to().emit('stock:changed', { productId, stock });
  if (p.viewers !== undefined) to().emit('viewers:count', { count: p.viewers });
  if (p.likes !== undefined) to().emit('likes:count', { count: p.likes });
  if (p.slowModeSeconds !== undefined) to().emit('chat:slow-mode', { seconds: p.slowModeSeconds });
  if (p.video) to().emit('video:changed', p.video);
  for (const m of p.chat ?? []) to().emit('chat:message', m);
  for (const id of p.chatDeleted ?? []) to().emit('chat:deleted', { messageId: id });
  for (const t of p.tickers ?? []) to().emit('purchase:ticker', t);
}

/** node-postgres through TypeORM answers UPDATE … RETURNING with [rows, count]. */
export function rowsOf(r: unknown): Record<string, unknown>[] {
  return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as Record<string, unknown>[];
}
