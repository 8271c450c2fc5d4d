import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import Redis from 'ioredis';
import { Server, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import {
  chatDeleteSchema,
  chatSendSchema,
  dealBuySchema,
  dealCloseSchema,
  dealLaunchSchema,
  likeSendSchema,
  LIVE_LIMITS,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  pinSetSchema,
  showJoinSchema,
  slowModeSchema,
  userBanSchema,
  userMuteSchema,
  type LiveAck,
  type LiveClientEvents,
  type LiveHandshakeAuth,
  type LiveServerEvents,
} from '@xiangbo/contracts';
import { takeTokens, type TokenBucketState } from '@xiangbo/domain';
import { TokensService } from '../auth/tokens.service';
import { SocketServerHost } from '../common/socket-server';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DealsService } from './deals.service';
import { LiveException, toRefusal } from './live.exception';
import { LiveHub, LiveNamespace, rooms } from './live-hub';
import { RoomService, SocketIdentity } from './room.service';

export interface LiveSocketData {
  userId: string | null;
  displayName: string;
  patches: boolean;
  viewerKey: string;
  showId: string | null;
  /** The room this socket receives the show in (a patch slice or the named-events room). */
  viewerRoom: string | null;
  canHost: boolean;
  /**
   * Bumped by every join, leave and disconnect: a join whose state read finishes after a newer request (show A
   * then show B without waiting, or a disconnect) is superseded and never counted as a viewer.
   */
  joinSeq: number;
  /** The join being read now (its show and room), until it completes or is superseded. */
  joining?: { showId: string; viewerRoom: string } | null;
  bucket?: TokenBucketState;
  refusals: number;
}
type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>;

/** Any event: 30 at once, 15 per second after that; a client that keeps flooding is disconnected. */
const EVENT_BUCKET = { capacity: 30, refillPerSecond: 15 };
const MAX_REFUSALS = 200;

/**
 * A browser on a foreign page always sends its Origin: refuse any that is neither in CORS_ORIGINS nor this
 * host itself (the API serves the storefront). No Origin = not a browser (native app, server, test client).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The `/live` socket.io namespace on the API's own port (path /socket.io): one server per process, joined
 * across processes by the Redis adapter when REDIS_URL is set. The HTTP access guard does not run here, so
 * every handler authorises from the handshake identity (and the services re-check roles in the database).
 * Handlers are thin: validate with the contract's zod schema, call a service, answer with a typed ack.
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private io: Server<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData> | null = null;
  private redis: Redis[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokensService,
    private readonly room: RoomService,
    private readonly deals: DealsService,
    private readonly hub: LiveHub,
    private readonly sockets: SocketServerHost,
  ) {}

  async onApplicationBootstrap() {
    const httpServer = this.adapterHost.httpAdapter?.getHttpServer();
    if (!httpServer) return;
    const allowed = this.config.CORS_ORIGINS;
    const io = new Server<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>(httpServer, {
      path: LIVE_SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: LIVE_LIMITS.maxMessageBytes,
      allowRequest: (req: IncomingMessage, cb) => {
        const ok = originAllowed(req.headers.origin, req.headers.host, allowed);
        cb(ok ? null : 'origin not allowed', ok);
      },
      cors: {
        origin: (origin, cb) => cb(null, !origin || allowed.includes(origin)),
        credentials: true,
      },
    });
    if (this.config.REDIS_URL) {
      const pub = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 2 });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (e) => this.logger.warn({ err: e }, 'Redis connection error'));
      this.redis = [pub, sub];
      io.adapter(createAdapter(pub, sub, { key: 'xb-live' }));
    }
    io.of('/').use((_s, next) => next(new Error(`use the ${LIVE_NAMESPACE} namespace`)));
    this.sockets.publish(io as unknown as Server); // other namespaces (messages) on the same server and adapter
    const nsp = io.of(LIVE_NAMESPACE) as LiveNamespace;
    nsp.use((socket, next) => {
      this.authenticate(socket as LiveSocket).then(
        () => next(),
        (e: unknown) => {
          const err = new Error(e instanceof LiveException ? e.code : 'INTERNAL') as Error & { data?: unknown };
          err.data = {
            code: e instanceof LiveException ? e.code : 'INTERNAL',
            message: e instanceof Error ? e.message : 'refused',
          };
          next(err);
        },
      );
    });
    nsp.on('connection', (socket) => this.connected(socket as LiveSocket));
    this.io = io;
    this.hub.attach(nsp, this.redis[0] ?? null);
  }

  /** Closes every socket before the HTTP server closes (it would otherwise wait for them). */
  async onModuleDestroy() {
    const io = this.io;
    this.io = null;
    if (!io) return;
    // Only this process's sockets: a cluster-wide disconnect would publish a request through Redis that could
    // still be in flight when the Redis clients close below ("Connection is closed", unhandled).
    io.of(LIVE_NAMESPACE).local.disconnectSockets(true);
    await new Promise((r) => setImmediate(r)); // let the disconnect handlers run before Redis goes away
    await this.hub.onApplicationShutdown();
    io.engine.close();
    await Promise.allSettled(this.redis.map((r) => r.quit()));
    this.redis = [];
  }

  private async authenticate(socket: LiveSocket) {
    const auth = (socket.handshake.auth ?? {}) as LiveHandshakeAuth;
    const viewerId = typeof auth.viewerId === 'string' && /^[\w-]{8,64}$/.test(auth.viewerId) ? auth.viewerId : null;
    socket.data = {
      userId: null,
      displayName: '',
      patches: auth.patches === true,
      viewerKey: viewerId ? `anon:${viewerId}` : `sock:${socket.id}`,
      showId: null,
      viewerRoom: null,
      canHost: false,
      joinSeq: 0,
      refusals: 0,
    };
    if (auth.token === undefined || auth.token === null || auth.token === '') return;
    const userId = typeof auth.token === 'string' ? await this.tokens.verifyAccessToken(auth.token) : null;
    const user = userId ? await this.room.identity(userId) : null;
    if (!userId || !user) {
      throw new LiveException('NOT_SIGNED_IN', 'the access token is invalid or expired: refresh it and reconnect');
    }
    socket.data.userId = userId;
    socket.data.displayName = user.displayName;
    socket.data.viewerKey = `user:${userId}`;
  }

  private connected(socket: LiveSocket) {
    if (socket.data.userId) void socket.join(rooms.user(socket.data.userId));
    this.on(socket, 'show:join', showJoinSchema, (p) => this.join(socket, p.showId));
    this.on(socket, 'show:leave', showJoinSchema, async (p) => {
      if (socket.data.showId === p.showId || socket.data.joining?.showId === p.showId) this.leave(socket);
    });
    this.on(socket, 'chat:send', chatSendSchema, async (p) => ({
      message: await this.room.chat(identity(socket), p.text, socket.data.canHost),
    }));
    // Signed-in viewers only, limited per user over all their sockets (RoomService.like).
    this.on(socket, 'like:send', likeSendSchema, (p) => this.room.like(identity(socket), p.count ?? 1));
    this.on(socket, 'deal:buy', dealBuySchema, async (p) => ({
      reservation: await this.deals.buy(identity(socket), p.dealId, p.quantity),
    }));
    this.on(socket, 'pin:set', pinSetSchema, async (p) => ({
      pin: await this.room.pin(identity(socket), p.productId),
    }));
    this.on(socket, 'deal:launch', dealLaunchSchema, async (p) => ({
      deal: await this.deals.launch(identity(socket), p),
    }));
    this.on(socket, 'deal:close', dealCloseSchema, async (p) => ({
      deal: await this.deals.closeByHost(identity(socket), p.dealId),
    }));
    this.on(socket, 'chat:delete', chatDeleteSchema, (p) => this.room.deleteChat(identity(socket), p.messageId));
    this.on(socket, 'user:mute', userMuteSchema, (p) => this.room.mute(identity(socket), p));
    this.on(socket, 'user:ban', userBanSchema, (p) => this.room.ban(identity(socket), p));
    this.on(socket, 'chat:slow-mode', slowModeSchema, (p) => this.room.slowMode(identity(socket), p));
    socket.on('disconnect', () => this.leave(socket)); // also supersedes a join still reading its state

    const auto = (socket.handshake.auth as LiveHandshakeAuth | undefined)?.showId;
    if (typeof auto === 'string' && showJoinSchema.safeParse({ showId: auto }).success) {
      this.join(socket, auto).catch((e: unknown) => {
        const { refusal, expected } = toRefusal(e);
        if (!expected) this.logger.error({ err: e }, 'auto-join failed');
        if (refusal.code === 'BANNED') socket.emit('moderation', { showId: auto, kind: 'banned', until: null });
      });
    }
  }

  /**
   * Joins the rooms FIRST, then reads the state: a change committed meanwhile arrives as a patch, never lost.
   * The socket counts as a viewer only once its state was read and no newer join, leave or disconnect came in
   * meanwhile: a client racing through shows (A then B without waiting) is counted in B only, and never inflates
   * A's count or its peak.
   */
  private async join(socket: LiveSocket, showId: string): Promise<void> {
    if (socket.data.showId && socket.data.showId !== showId) this.leave(socket);
    const seq = ++socket.data.joinSeq;
    const again = socket.data.showId === showId && socket.data.viewerRoom;
    // joining the same show again (a second show:join) keeps the socket in the room it is in
    const viewerRoom = again
      ? (socket.data.viewerRoom as string)
      : socket.data.patches
        ? this.hub.sliceFor(showId)
        : rooms.events(showId);
    socket.data.joining = { showId, viewerRoom };
    await socket.join(viewerRoom);
    let read: Awaited<ReturnType<RoomService['state']>>;
    try {
      read = await this.room.state(identity(socket), showId);
    } catch (e) {
      if (socket.data.joinSeq === seq) {
        socket.data.joining = null;
        if (!again) await socket.leave(viewerRoom);
      } else if (!this.roomWanted(socket, viewerRoom)) await socket.leave(viewerRoom);
      throw e;
    }
    if (socket.data.joinSeq !== seq || socket.disconnected) {
      // Superseded while reading: leave the room unless the newer request wants the same one.
      if (!this.roomWanted(socket, viewerRoom)) await socket.leave(viewerRoom);
      throw new LiveException('NOT_JOINED', 'this join was replaced by a newer one');
    }
    const { state, canHost } = read;
    socket.data.joining = null;
    socket.data.showId = showId;
    socket.data.viewerRoom = viewerRoom;
    socket.data.canHost = canHost;
    this.hub.addViewer(showId, socket.id);
    if (canHost) {
      await socket.join(rooms.host(showId));
      this.hub.resendHostStats(showId);
    }
    if (state.status === 'live') this.hub.addUniqueViewer(showId, socket.data.viewerKey);
    // The count was read before this socket was counted: the viewer sees themselves included.
    socket.emit('show:state', again ? state : { ...state, viewers: state.viewers + 1 });
  }

  /** The room a socket's current (or pending) show wants it in. */
  private roomWanted(socket: LiveSocket, room: string): boolean {
    return socket.connected && (socket.data.viewerRoom === room || socket.data.joining?.viewerRoom === room);
  }

  private leave(socket: LiveSocket) {
    socket.data.joinSeq++;
    const pending = socket.data.joining;
    socket.data.joining = null;
    if (pending && pending.viewerRoom !== socket.data.viewerRoom) void socket.leave(pending.viewerRoom);
    const showId = socket.data.showId;
    if (!showId) return;
    this.hub.removeViewer(showId, socket.id);
    if (socket.data.viewerRoom) void socket.leave(socket.data.viewerRoom);
    void socket.leave(rooms.host(showId));
    socket.data.showId = null;
    socket.data.viewerRoom = null;
    socket.data.canHost = false;
  }

  /** Validation, flood control and the typed ack around one client event. */
  private on<E extends keyof LiveClientEvents, P>(
    socket: LiveSocket,
    event: E,
    schema: ZodType<P>,
    handler: (payload: P) => Promise<object | void>,
  ) {
    const listener = async (raw: unknown, ack?: unknown) => {
      const reply = (typeof ack === 'function' ? ack : () => undefined) as (r: LiveAck) => void;
      const r = takeTokens(socket.data.bucket, EVENT_BUCKET, Date.now());
      socket.data.bucket = r.state;
      if (!r.ok) {
        if (++socket.data.refusals > MAX_REFUSALS) socket.disconnect(true);
        return reply({ ok: false, code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: r.retryAfterMs });
      }
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'payload';
        return reply({ ok: false, code: 'INVALID', field, message: `${field}: ${issue?.message ?? 'is invalid'}` });
      }
      try {
        const result = await handler(parsed.data);
        reply({ ok: true, ...(result ?? {}) });
      } catch (e) {
        const { refusal, expected } = toRefusal(e);
        if (!expected) this.logger.error({ err: e, event }, 'live event failed');
        reply(refusal);
      }
    };
    socket.on(event, listener as never);
  }
}

function identity(socket: LiveSocket): SocketIdentity {
  return { userId: socket.data.userId, displayName: socket.data.displayName, showId: socket.data.showId };
}
