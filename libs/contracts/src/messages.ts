import { z } from 'zod';
import type { OrderStatusValue } from './orders';
import type { ProductUnit } from './registry';

/**
 * Messages (客服): a buyer talks to a cooperative, one conversation per buyer and cooperative, opened from a
 * product or an order (its card is the conversation's subject). REST shapes and THE typed socket.io event map of
 * the `/messages` namespace (same server and path as `/live`), used by the API gateway and the storefront.
 */
export const MESSAGES_NAMESPACE = '/messages';

/** Limits the server enforces (the storefront shows them; it never enforces them alone). */
export const MESSAGE_LIMITS = {
  textMax: 500,
  /** Per user over all their sockets and processes (PostgreSQL): at most `perWindow` messages in `windowSeconds`. */
  perWindow: 20,
  windowSeconds: 30,
  /** Conversations a buyer may open (or re-point to another product/order) per hour. */
  opensPerHour: 60,
  pageSize: 30,
  maxPageSize: 100,
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const uuid = z.uuid({ message: 'must be a UUID' });

/** Exactly one of them: what the buyer asks about (a product, an order) or just the cooperative. */
export const openConversationSchema = z
  .object({
    productId: uuid.optional(),
    orderId: uuid.optional(),
    cooperativeId: uuid.optional(),
  })
  .refine((v) => [v.productId, v.orderId, v.cooperativeId].filter(Boolean).length === 1, {
    message: 'choose a product, an order or a cooperative',
    path: ['productId'],
  });
export type OpenConversationRequest = z.infer<typeof openConversationSchema>;

export const messageTextSchema = z
  .string({ message: 'must be text' })
  .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters (such as NUL)' })
  .transform((s) => s.replace(/[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, '').trim())
  .pipe(
    z
      .string()
      .min(1, { message: 'is required' })
      .refine((s) => [...s].length <= MESSAGE_LIMITS.textMax, {
        message: `must be at most ${MESSAGE_LIMITS.textMax} characters`,
      }),
  );

export const sendMessageSchema = z.object({
  conversationId: uuid,
  text: messageTextSchema,
  /** The sender's own id of this message: sending it again (after a drop) never makes a second one. */
  clientId: z.string().regex(/^[\w-]{8,64}$/, { message: 'must be 8–64 letters, digits or dashes' }),
});
export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

export const conversationRefSchema = z.object({ conversationId: uuid });

export const messagePageQuerySchema = z.object({
  /** Messages older than this id (the oldest one on screen); none = the latest page. */
  before: z
    .string()
    .regex(/^\d{1,18}$/, { message: 'must be a message id' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(MESSAGE_LIMITS.maxPageSize).default(MESSAGE_LIMITS.pageSize),
});
export type MessagePageQuery = z.infer<typeof messagePageQuerySchema>;

export type MessageSide = 'buyer' | 'staff';
export type MessageKind = 'text' | 'photo' | 'product' | 'order';

export type ConversationSubject =
  | { kind: 'product'; id: string; name: string; priceFen: number; unit: ProductUnit; thumbUrl: string | null }
  | { kind: 'order'; id: string; number: string; status: OrderStatusValue; totalFen: number; itemCount: number };

export interface MessagePhoto {
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface ChatMessageDto {
  /** Increasing: a later message has a larger id (as a decimal string). */
  id: string;
  conversationId: string;
  from: MessageSide;
  kind: MessageKind;
  text: string;
  photo: MessagePhoto | null;
  /** The product or order card (kind product/order). */
  card: ConversationSubject | null;
  clientId: string | null;
  at: string;
}

/** One conversation as one side sees it. */
export interface ConversationSummary {
  id: string;
  cooperative: { id: string; name: string };
  /** The buyer as the cooperative sees them: a masked name only (王*明). */
  buyer: { masked: string };
  subject: ConversationSubject | null;
  lastMessage: { from: MessageSide; kind: MessageKind; text: string; at: string } | null;
  /** Messages from the other side this side has not read. */
  unread: number;
  /** When the other side last read the conversation (已读 under one's own messages). */
  peerReadAt: string | null;
  /** Which side the caller is on. */
  side: MessageSide;
  updatedAt: string;
}

export interface ConversationList {
  items: ConversationSummary[];
  unreadTotal: number;
}

export interface MessagePage {
  /** Oldest first. */
  items: ChatMessageDto[];
  /** Pass as `before` for the page of older messages; null when this is the first message. */
  nextBefore: string | null;
}

// ---- socket.io --------------------------------------------------------------------------------------------

export interface MessagesHandshakeAuth {
  token?: string;
}

export type MessagesErrorCodeOnSocket =
  | 'MESSAGES_NOT_SIGNED_IN'
  | 'CONVERSATION_NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'CONTROL_CHARACTERS'
  | 'MESSAGE_RATE_LIMITED'
  | 'INTERNAL';

export type MessagesRefusal = {
  ok: false;
  code: MessagesErrorCodeOnSocket;
  message: string;
  field?: string;
  retryAfterMs?: number;
};
export type MessagesAck<T extends object = object> = ({ ok: true } & T) | MessagesRefusal;

export interface MessagesClientEvents {
  'message:send': (p: SendMessageRequest, ack: (r: MessagesAck<{ message: ChatMessageDto }>) => void) => void;
  'conversation:read': (p: { conversationId: string }, ack: (r: MessagesAck) => void) => void;
}

export interface MessagesServerEvents {
  /** A new message in one of the caller's conversations (their own too, from another tab), with that side's summary. */
  'message:new': (p: { conversation: ConversationSummary; message: ChatMessageDto }) => void;
  /** The other side read the conversation up to now. */
  'conversation:read': (p: { conversationId: string; side: MessageSide; at: string }) => void;
}
