import { useQueryClient } from '@tanstack/react-query';
import {
  LIVE_SOCKET_PATH,
  MESSAGES_NAMESPACE,
  type ChatMessageDto,
  type ConversationSummary,
  type MessagesAck,
  type MessagesClientEvents,
  type MessagesHandshakeAuth,
  type MessagesServerEvents,
} from '@xiangbo/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { useApiClient, useAuth } from '../../auth/auth-context';
import { addToHistory, messageKeys, updateSummary } from './api';

export type MessagesSocket = Socket<MessagesServerEvents, MessagesClientEvents>;

/** How the socket is made (the screens' tests put a stand-in server here). */
export const messagesSocketFactory = {
  create: (opts: Partial<ManagerOptions & SocketOptions>): MessagesSocket => io(MESSAGES_NAMESPACE, opts),
};
export type SocketStatus = 'connecting' | 'connected' | 'reconnecting';

const OFFLINE = { ok: false, code: 'OFFLINE', message: 'offline' } as const;
export type SendResult = MessagesAck<{ message: ChatMessageDto }> | typeof OFFLINE;

/**
 * One socket.io connection to /messages while a messages screen is open. Messages that arrive go straight into
 * the query cache (the thread's history, the lists and the unread badge), so every screen showing them updates
 * without asking the server again. The access token is read on every (re)connection; an expired one is refreshed.
 */
export function useMessagesSocket(onMessage?: (message: ChatMessageDto, conversation: ConversationSummary) => void) {
  const client = useApiClient();
  const { user } = useAuth();
  const qc = useQueryClient();
  const socketRef = useRef<MessagesSocket | null>(null);
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const listener = useRef(onMessage);
  listener.current = onMessage;
  const userId = user?.id ?? null;

  useEffect(() => {
    if (!userId) return;
    const socket: MessagesSocket = messagesSocketFactory.create({
      path: LIVE_SOCKET_PATH,
      transports: ['websocket', 'polling'],
      auth: (cb) => {
        const token = client.getAccessToken();
        cb((token ? { token } : {}) satisfies MessagesHandshakeAuth as Record<string, unknown>);
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socketRef.current = socket;
    socket.on('connect', () => {
      setStatus('connected');
      // Whatever arrived while the connection was down is in PostgreSQL: read the open screens again.
      void qc.invalidateQueries({ queryKey: messageKeys.all });
    });
    socket.on('disconnect', (reason) => {
      setStatus('reconnecting');
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      setStatus('reconnecting');
      if (err.data?.code === 'MESSAGES_NOT_SIGNED_IN' || err.message === 'MESSAGES_NOT_SIGNED_IN') {
        void client
          .refreshSession()
          .catch(() => null)
          .then((s) => {
            if (s) socket.connect();
          });
      }
    });
    socket.on('message:new', ({ conversation, message }) => {
      addToHistory(qc, message);
      updateSummary(qc, conversation);
      listener.current?.(message, conversation);
    });
    socket.on('conversation:read', ({ conversationId, side, at }) => {
      qc.setQueryData<ConversationSummary>(messageKeys.conversation(conversationId), (c) =>
        c && c.side !== side ? { ...c, peerReadAt: at } : c,
      );
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [client, qc, userId]);

  const send = useCallback(
    async (conversationId: string, text: string, clientId: string): Promise<SendResult> => {
      const s = socketRef.current;
      if (!s?.connected) return OFFLINE;
      const r = await (s.timeout(15_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<SendResult> })
        .emitWithAck('message:send', { conversationId, text, clientId })
        .catch(() => OFFLINE);
      if (r.ok) addToHistory(qc, r.message);
      return r;
    },
    [qc],
  );

  return { status, send };
}
