import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import {
  conversationRefSchema,
  MESSAGES_NAMESPACE,
  sendMessageSchema,
  type MessagesAck,
  type MessagesClientEvents,
  type MessagesHandshakeAuth,
  type MessagesRefusal,
  type MessagesServerEvents,
} from '@xiangbo/contracts';
import { takeTokens, type TokenBucketState } from '@xiangbo/domain';
import { Principal } from '../auth/principal';
import { TokensService } from '../auth/tokens.service';
import { SocketServerHost } from '../common/socket-server';
import { UsersService } from '../users/users.service';
import { MessagesHub, messageRooms, type MessagesNamespace } from './messages.hub';
import { MessagesErrorCode, MessagesException } from './messages.exception';
import { MessagesService, STAFF_ROLES } from './messages.service';

interface MessagesSocketData {
  userId: string;
  bucket?: TokenBucketState;
  refusals: number;
}
type MessagesSocket = Socket<MessagesClientEvents, MessagesServerEvents, Record<string, never>, MessagesSocketData>;

/** Any event: 20 at once, 5 per second after that (per socket; the per-user message limit is in PostgreSQL). */
const EVENT_BUCKET = { capacity: 20, refillPerSecond: 5 };
const MAX_REFUSALS = 100;

/**
 * The `/messages` namespace on the process's one socket.io server (the live gateway's, same path, same Redis
 * adapter). Signed-in only: the handshake's access token is the identity; a buyer's sockets join their own room,
 * staff sockets also the rooms of the cooperatives they answer for. Every event re-reads the caller's roles from
 * the database (a revoked role stops at once), validates with the contract's schema and answers a typed ack.
 */
@Injectable()
export class MessagesGateway implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('MessagesGateway');
  private nsp: MessagesNamespace | null = null;

  constructor(
    private readonly sockets: SocketServerHost,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly messages: MessagesService,
    private readonly hub: MessagesHub,
  ) {}

  onModuleInit() {
    this.sockets.onServer((io: Server) => this.attach(io));
  }

  onModuleDestroy() {
    const nsp = this.nsp;
    this.nsp = null;
    this.hub.attach(null);
    nsp?.local.disconnectSockets(true);
  }

  private attach(io: Server) {
    const nsp = io.of(MESSAGES_NAMESPACE) as unknown as MessagesNamespace;
    nsp.use((socket, next) => {
      this.authenticate(socket as MessagesSocket).then(
        () => next(),
        (e: unknown) => {
          const code = e instanceof MessagesException ? e.code : 'INTERNAL';
          const err = new Error(code) as Error & { data?: unknown };
          err.data = { code, message: e instanceof Error ? e.message : 'refused' };
          next(err);
        },
      );
    });
    nsp.on('connection', (socket) => this.connected(socket as MessagesSocket));
    this.nsp = nsp;
    this.hub.attach(nsp);
  }

  private async authenticate(socket: MessagesSocket) {
    const auth = (socket.handshake.auth ?? {}) as MessagesHandshakeAuth;
    const userId =
      typeof auth.token === 'string' && auth.token ? await this.tokens.verifyAccessToken(auth.token) : null;
    const roles = userId ? await this.users.rolesOf(userId) : [];
    if (!userId || !roles.length) {
      throw new MessagesException(
        MessagesErrorCode.MESSAGES_NOT_SIGNED_IN,
        'sign in to send messages (the access token is missing, invalid or expired)',
      );
    }
    socket.data = { userId, refusals: 0 };
    const principal = new Principal(userId, roles);
    await socket.join([
      messageRooms.buyer(userId),
      ...principal.cooperativesWith(...STAFF_ROLES).map((c) => messageRooms.cooperative(c)),
    ]);
  }

  private connected(socket: MessagesSocket) {
    this.on(socket, 'message:send', sendMessageSchema, async (p, who) => ({
      message: await this.messages.send(who, p.conversationId, p.text, p.clientId),
    }));
    this.on(socket, 'conversation:read', conversationRefSchema, async (p, who) => {
      await this.messages.read(who, p.conversationId);
    });
  }

  private on<E extends keyof MessagesClientEvents, P>(
    socket: MessagesSocket,
    event: E,
    schema: ZodType<P>,
    handler: (payload: P, who: Principal) => Promise<object | void>,
  ) {
    const listener = async (raw: unknown, ack?: unknown) => {
      const reply = (typeof ack === 'function' ? ack : () => undefined) as (r: MessagesAck) => void;
      const r = takeTokens(socket.data.bucket, EVENT_BUCKET, Date.now());
      socket.data.bucket = r.state;
      if (!r.ok) {
        if (++socket.data.refusals > MAX_REFUSALS) socket.disconnect(true);
        return reply({ ok: false, code: 'MESSAGE_RATE_LIMITED', message: 'slow down', retryAfterMs: r.retryAfterMs });
      }
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'payload';
        const message = issue?.message ?? 'is invalid';
        return reply({
          ok: false,
          code: /control characters/.test(message) ? 'CONTROL_CHARACTERS' : 'VALIDATION_FAILED',
          field,
          message: `${field}: ${message}`,
        });
      }
      try {
        const roles = await this.users.rolesOf(socket.data.userId);
        const result = await handler(parsed.data, new Principal(socket.data.userId, roles));
        reply({ ok: true, ...(result ?? {}) });
      } catch (e) {
        reply(this.refusal(e, event));
      }
    };
    socket.on(event, listener as never);
  }

  private refusal(e: unknown, event: string): MessagesRefusal {
    if (e instanceof MessagesException) {
      const code =
        e.code === MessagesErrorCode.MESSAGE_RATE_LIMITED ? 'MESSAGE_RATE_LIMITED' : 'CONVERSATION_NOT_FOUND';
      return { ok: false, code, message: e.message, ...(e.retryAfterMs ? { retryAfterMs: e.retryAfterMs } : {}) };
    }
    this.logger.error({ err: e, event }, 'messages event failed');
    return { ok: false, code: 'INTERNAL', message: 'something went wrong on our side' };
  }
}
