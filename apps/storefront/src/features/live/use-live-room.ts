import {
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  type ChatMessage,
  type DealLaunch,
  type DealReservation,
  type DealState,
  type LiveAck,
  type LiveClientEvents,
  type LiveHandshakeAuth,
  type LiveServerEvents,
  type PinnedProduct,
} from '@xiangbo/contracts';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { initialRoom, roomReducer, type RoomView } from './live-state';

export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

const VIEWER_ID_KEY = 'xiangbo.viewerId';

/** A random id per browser, so anonymous viewers are counted once in "unique viewers" (no personal data). */
function viewerId(): string {
  try {
    let id = localStorage.getItem(VIEWER_ID_KEY);
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem(VIEWER_ID_KEY, id);
    }
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

export interface LiveRoom {
  view: RoomView;
  chat(text: string): Promise<LiveAck>;
  like(): void;
  buy(dealId: string, quantity: number): Promise<LiveAck<{ reservation: DealReservation }>>;
  pin(productId: string | null): Promise<LiveAck<{ pin: PinnedProduct | null }>>;
  launchDeal(body: DealLaunch): Promise<LiveAck<{ deal: DealState }>>;
  closeDeal(dealId: string): Promise<LiveAck>;
  deleteChat(messageId: string): Promise<LiveAck>;
  mute(userId: string, minutes: number): Promise<LiveAck>;
  ban(userId: string): Promise<LiveAck>;
  slowMode(seconds: number): Promise<LiveAck>;
  dismissRefusal(): void;
  /** Hears a server event of the room (a lazily loaded feature's own, e.g. coupon:changed); returns the unsubscribe. */
  on<E extends keyof LiveServerEvents>(event: E, handler: LiveServerEvents[E]): () => void;
}

const OFFLINE: LiveAck = { ok: false, code: 'INTERNAL', message: 'offline' };

/**
 * One socket.io connection to /live for one show. The show id and the current access token are sent in the
 * handshake on every (re)connection, so after a network drop the server answers with the whole current state
 * again (`show:state`), and coalesced `show:patch` messages keep it current in between.
 */
export function useLiveRoom(showId: string): LiveRoom {
  const client = useApiClient();
  const { user } = useAuth();
  const [view, dispatch] = useReducer(roomReducer, initialRoom);
  const socketRef = useRef<LiveSocket | null>(null);
  const listeners = useRef(new Map<string, Set<(...args: never[]) => void>>());
  const userId = user?.id ?? null;

  useEffect(() => {
    const socket: LiveSocket = io(LIVE_NAMESPACE, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket', 'polling'],
      // Called on every (re)connection: always the latest token from the API client's memory.
      auth: (cb) => {
        const token = client.getAccessToken();
        const auth: LiveHandshakeAuth = { patches: true, showId, viewerId: viewerId(), ...(token ? { token } : {}) };
        cb(auth as Record<string, unknown>);
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socketRef.current = socket;
    socket.onAny((event: string, ...args: unknown[]) =>
      listeners.current.get(event)?.forEach((f) => (f as (...a: unknown[]) => void)(...args)),
    );
    socket.on('connect', () => dispatch({ type: 'connection', status: 'connected' }));
    socket.on('disconnect', (reason) => {
      dispatch({ type: 'connection', status: reason === 'io client disconnect' ? 'offline' : 'reconnecting' });
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      dispatch({ type: 'connection', status: 'reconnecting' });
      // An expired access token: refresh it (the cookie session) and try again; still invalid → watch anonymously.
      if (err.data?.code === 'NOT_SIGNED_IN' || err.message === 'NOT_SIGNED_IN') {
        void client
          .refreshSession()
          .catch(() => null)
          .then((s) => {
            if (!s) client.clearSession();
            socket.connect();
          });
      }
    });
    socket.on('show:state', (state) => dispatch({ type: 'state', state }));
    socket.on('show:patch', (patch) => dispatch({ type: 'patch', patch }));
    socket.on('host:stats', (stats) => dispatch({ type: 'hostStats', stats }));
    socket.on('moderation', (m) => {
      if (m.showId !== showId) return;
      if (m.kind === 'banned') dispatch({ type: 'banned' });
      if (m.kind === 'muted') dispatch({ type: 'muted', until: m.until });
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
    // A new sign-in (another user) reconnects with the new identity.
  }, [client, showId, userId]);

  // Tickers stay on screen for 4 s each.
  useEffect(() => {
    const last = view.tickers.at(-1);
    if (!last) return;
    const timer = setTimeout(() => dispatch({ type: 'tickerExpired', key: last.key }), 4000);
    return () => clearTimeout(timer);
  }, [view.tickers]);

  const ask = useCallback(<T extends object>(event: keyof LiveClientEvents, payload: unknown): Promise<LiveAck<T>> => {
    const s = socketRef.current;
    if (!s?.connected) return Promise.resolve(OFFLINE as LiveAck<T>);
    return (s.timeout(15_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<LiveAck<T>> })
      .emitWithAck(event, payload)
      .catch(() => OFFLINE as LiveAck<T>)
      .then((r) => {
        if (!r.ok)
          dispatch({ type: 'refusal', refusal: { code: r.code, message: r.message, retryAfterMs: r.retryAfterMs } });
        return r;
      });
  }, []);

  // Stable across renders: a lazily loaded part of the room subscribes once.
  const on = useCallback(<E extends keyof LiveServerEvents>(event: E, handler: LiveServerEvents[E]) => {
    const set = listeners.current.get(event) ?? new Set();
    listeners.current.set(event, set);
    set.add(handler as (...args: never[]) => void);
    return () => void set.delete(handler as (...args: never[]) => void);
  }, []);

  return useMemo(
    () => ({
      view,
      chat: async (text: string) => {
        const r = await ask<{ message: ChatMessage }>('chat:send', { text });
        if (r.ok) dispatch({ type: 'chatSent', message: r.message });
        return r;
      },
      like: () => void ask('like:send', { count: 1 }),
      buy: (dealId: string, quantity: number) =>
        ask<{ reservation: DealReservation }>('deal:buy', { dealId, quantity }),
      pin: (productId: string | null) => ask<{ pin: PinnedProduct | null }>('pin:set', { productId }),
      launchDeal: (body: DealLaunch) => ask<{ deal: DealState }>('deal:launch', body),
      closeDeal: (dealId: string) => ask('deal:close', { dealId }),
      deleteChat: (messageId: string) => ask('chat:delete', { messageId }),
      mute: (uid: string, minutes: number) => ask('user:mute', { userId: uid, minutes }),
      ban: (uid: string) => ask('user:ban', { userId: uid }),
      slowMode: (seconds: number) => ask('chat:slow-mode', { seconds }),
      dismissRefusal: () => dispatch({ type: 'refusal', refusal: null }),
      on,
    }),
    [view, ask, on],
  );
}
