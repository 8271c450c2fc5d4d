import { z } from 'zod';
import type { CouponEvent } from './coupons';
import type { ProductUnit } from './registry';
import type { ShowReplay, ShowVideo } from './video';

/**
 * Live shows (直播): REST shapes and THE typed socket.io event map of the `/live` namespace, used by the API
 * gateway (`Server<LiveClientEvents, LiveServerEvents>`) and the storefront (`Socket<LiveServerEvents, LiveClientEvents>`).
 */

export const SHOW_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type ShowStatus = (typeof SHOW_STATUSES)[number];
export const DEAL_STATUSES = ['open', 'closed'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

// The room's constants live apart from the schemas below, so a page that only needs them (the live room) does not
// evaluate zod and every schema of this file (this package has no side effects: the bundler drops what is unused).
export { LIVE_LIMITS, LIVE_NAMESPACE, LIVE_SOCKET_PATH } from './live-constants';
import { LIVE_LIMITS } from './live-constants';

// ---- REST ----------------------------------------------------------------------------------------------

const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

export const showListQuerySchema = z.object({
  status: optionalParam(z.enum(['live', 'scheduled', 'ended'])),
  cooperativeId: optionalParam(z.uuid({ message: 'must be a UUID' })),
  page: optionalParam(z.coerce.number().int().min(1).max(10_000)).transform((v) => v ?? 1),
  pageSize: optionalParam(z.coerce.number().int().min(1).max(50)).transform((v) => v ?? 20),
});
export type ShowListQuery = z.infer<typeof showListQuerySchema>;

const title = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(60, { message: 'must be at most 60 characters' });

export const createShowSchema = z.object({
  title,
  description: z.string().trim().max(500, { message: 'must be at most 500 characters' }).optional(),
  /** ISO 8601 with an offset, e.g. 2026-05-01T19:30:00+08:00. */
  scheduledAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone' }),
  productIds: z
    .array(z.uuid({ message: 'must be a product id' }))
    .min(1, { message: 'choose at least one product' })
    .max(LIVE_LIMITS.maxShowProducts, { message: `at most ${LIVE_LIMITS.maxShowProducts} products` }),
});
export type CreateShowRequest = z.infer<typeof createShowSchema>;

export const updateShowSchema = createShowSchema.partial();
export type UpdateShowRequest = z.infer<typeof updateShowSchema>;

export interface ShowProductDto {
  id: string;
  nameZh: string;
  unit: ProductUnit;
  priceFen: number;
  stock: number;
  /** Units of the product sold so far (paid orders, all channels): the room's 已售 N. */
  soldCount: number;
  coverThumbUrl: string | null;
}

export interface ShowListItem {
  id: string;
  title: string;
  status: ShowStatus;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  coverUrl: string | null;
  cooperative: { id: string; name: string; province: string; county: string };
  hostName: string;
  productCount: number;
  subscriberCount: number;
  /** Watching now: live shows in the public list only. */
  viewers?: number;
  /** For the signed-in caller; false when signed out. */
  subscribed: boolean;
  following: boolean;
}

export interface PinTimelineEntry {
  productId: string;
  productName: string;
  pinnedAt: string;
  unpinnedAt: string | null;
}

export interface ProductSales {
  productId: string;
  productName: string;
  unit: ProductUnit;
  units: number;
  revenueFen: number;
}

/** Stored when a show ends (and refreshed when a late payment of the show arrives). */
export interface ShowSummary {
  peakViewers: number;
  uniqueViewers: number;
  chatMessages: number;
  likes: number;
  /** Orders placed during the show (any status) and of those, paid. */
  orders: number;
  paidOrders: number;
  /** Paid orders of the show, in fen. */
  gmvFen: number;
  buyers: number;
  /** Paying buyers ÷ unique viewers, 0..1 (4 decimals). */
  conversion: number;
  perProduct: ProductSales[];
  deals: { id: string; productName: string; priceFen: number; quantity: number; sold: number }[];
  durationSeconds: number;
}

/** What anyone may see of an ended show: the audience. Sales figures are for the show's cooperative only. */
export type PublicShowSummary = Pick<
  ShowSummary,
  'peakViewers' | 'uniqueViewers' | 'chatMessages' | 'likes' | 'durationSeconds'
>;

export interface ShowDetail extends ShowListItem {
  description: string;
  products: ShowProductDto[];
  /** Ended shows only: the full summary for the show's cooperative (its admins and hosts), the audience for others. */
  summary: ShowSummary | PublicShowSummary | null;
  /** When each product was pinned (the replay timeline). */
  pins: PinTimelineEntry[];
  /** Playback while live (state `off` otherwise). */
  video: ShowVideo;
  /** Ended shows with a recording. */
  replay: ShowReplay | null;
}

/** Live figures for the host console (never sent to viewers). */
export interface HostStats {
  viewers: number;
  peakViewers: number;
  likes: number;
  chatMessages: number;
  orders: number;
  paidOrders: number;
  gmvFen: number;
}

export interface ConsoleShow extends Omit<ShowDetail, 'summary'> {
  summary: ShowSummary | null;
  hostId: string;
  canManage: boolean;
  stats: HostStats;
}

export type NotificationKind =
  | 'show_scheduled'
  | 'show_reminder'
  | 'show_live'
  /** The cooperative answered in 客服 (title: the cooperative's name). */
  | 'message_received'
  /** The parcel's steps a buyer waits for (title: the order's first product, body: the cooperative). */
  | 'parcel_delivering'
  | 'parcel_delivered'
  | 'parcel_problem'
  | 'parcel_returned'
  /** A group (拼团) the buyer paid into was formed or failed (title: the product, body: the cooperative). */
  | 'group_formed'
  | 'group_failed'
  /** A pre-sale's harvest is in and the buyer's balance is due (title: the product, body: the cooperative). */
  | 'balance_due';

export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Storefront path to open, e.g. /live/<showId>. */
  link: string;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage {
  items: NotificationDto[];
  unread: number;
  total: number;
  page: number;
  pageSize: number;
}

export const notificationListQuerySchema = z.object({
  page: optionalParam(z.coerce.number().int().min(1).max(10_000)).transform((v) => v ?? 1),
  pageSize: optionalParam(z.coerce.number().int().min(1).max(50)).transform((v) => v ?? 20),
});

// ---- socket.io: payloads -------------------------------------------------------------------------------

const uuid = (what: string) => z.uuid({ message: `must be ${what}` });
const wholeNumber = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

export const showJoinSchema = z.object({ showId: uuid('a show id') });
export const chatSendSchema = z.object({
  text: z
    .string({ message: 'must be text' })
    .max(LIVE_LIMITS.chatMaxLength * 4, { message: `must be at most ${LIVE_LIMITS.chatMaxLength} characters` }),
});
export const dealBuySchema = z.object({ dealId: uuid('a deal id'), quantity: wholeNumber(1, LIVE_LIMITS.maxDealCap) });
export const likeSendSchema = z.object({ count: wholeNumber(1, LIVE_LIMITS.maxLikesPerEvent).optional() });
export const pinSetSchema = z.object({ productId: uuid('a product id').nullable() });
export const dealLaunchSchema = z.object({
  productId: uuid('a product id'),
  priceFen: wholeNumber(1, 10_000_000),
  quantity: wholeNumber(1, LIVE_LIMITS.maxDealQuantity),
  perBuyerCap: wholeNumber(1, LIVE_LIMITS.maxDealCap),
  durationSeconds: wholeNumber(LIVE_LIMITS.minDealSeconds, LIVE_LIMITS.maxDealSeconds),
});
export const dealCloseSchema = z.object({ dealId: uuid('a deal id') });
export const chatDeleteSchema = z.object({ messageId: uuid('a message id') });
export const userMuteSchema = z.object({
  userId: uuid('a user id'),
  /** 0 lifts the mute. */
  minutes: wholeNumber(0, 7 * 24 * 60),
});
export const userBanSchema = z.object({ userId: uuid('a user id'), lift: z.boolean().optional() });
export const slowModeSchema = z.object({ seconds: wholeNumber(0, LIVE_LIMITS.maxSlowModeSeconds) });

export type ShowJoin = z.infer<typeof showJoinSchema>;
export type ChatSend = z.infer<typeof chatSendSchema>;
export type DealBuy = z.infer<typeof dealBuySchema>;
export type LikeSend = z.infer<typeof likeSendSchema>;
export type PinSet = z.infer<typeof pinSetSchema>;
export type DealLaunch = z.infer<typeof dealLaunchSchema>;
export type DealClose = z.infer<typeof dealCloseSchema>;
export type ChatDelete = z.infer<typeof chatDeleteSchema>;
export type UserMute = z.infer<typeof userMuteSchema>;
export type UserBan = z.infer<typeof userBanSchema>;
export type SlowMode = z.infer<typeof slowModeSchema>;

export const LIVE_ERROR_CODES = [
  'NOT_SIGNED_IN',
  'NOT_JOINED',
  'NOT_FOUND',
  'FORBIDDEN',
  'INVALID',
  'RATE_LIMITED',
  'SLOW_MODE',
  'MUTED',
  'BANNED',
  'SHOW_NOT_LIVE',
  'SOLD_OUT',
  'CAP_REACHED',
  'DEAL_CLOSED',
  'NO_ADDRESS',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type LiveErrorCode = (typeof LIVE_ERROR_CODES)[number];

export interface LiveRefusal {
  ok: false;
  code: LiveErrorCode;
  message: string;
  /** RATE_LIMITED / SLOW_MODE: when to try again. */
  retryAfterMs?: number;
  /** INVALID: which field and why. */
  field?: string;
}
export type LiveAck<T extends object = object> = ({ ok: true } & T) | LiveRefusal;

/** The pinned product card: live stock, the price and the unit. */
export interface PinnedProduct {
  pinId: string;
  productId: string;
  nameZh: string;
  unit: ProductUnit;
  priceFen: number;
  stock: number;
  coverThumbUrl: string | null;
  pinnedAt: string;
}

export interface DealState {
  id: string;
  productId: string;
  productName: string;
  unit: ProductUnit;
  priceFen: number;
  /** The product's normal price, for the struck-through 原价. */
  listPriceFen: number;
  quantity: number;
  remaining: number;
  perBuyerCap: number;
  startsAt: string;
  endsAt: string;
  status: DealStatus;
}

export interface ChatMessage {
  id: string;
  /** Opaque id for moderation (mute/ban); no personal data. */
  userId: string;
  displayName: string;
  /** Plain text: render it as text, never as HTML. */
  text: string;
  fromHost: boolean;
  at: string;
}

/** "陕西的买家刚买了 2 盒": province (short name), quantity and unit only. */
export interface PurchaseTicker {
  province: string;
  quantity: number;
  unit: ProductUnit;
  text: string;
  at: string;
}

/**
 * 本场助农: what this show's paid orders will bring registered and monitored households (建档立卡/监测户) by the
 * sharing policy in force (purchase payments to the supplying households and their dividend share), and how many
 * households that is. `paidFen` is the paid sales it was computed from (a buyer's own share is in proportion).
 */
export interface ShowImpact {
  householdsFen: number;
  households: number;
  paidFen: number;
}

export interface ShowState {
  showId: string;
  title: string;
  status: ShowStatus;
  cooperative: { id: string; name: string };
  pin: PinnedProduct | null;
  deal: DealState | null;
  viewers: number;
  likes: number;
  slowModeSeconds: number;
  video: ShowVideo;
  /** The last 50 messages, oldest first. */
  chat: ChatMessage[];
  /** The caller: whether they may moderate, are muted or banned. */
  you: { userId: string | null; canHost: boolean; mutedUntil: string | null; banned: boolean };
  /** Server time (ms) before the state was read: buffered patches with `at` ≥ asOf are applied on top. */
  asOf: number;
  /** Absent from servers that do not compute it; null when the cooperative has no sharing policy yet. */
  impact?: ShowImpact | null;
}

/**
 * Everything that changed in one show during one tick (~100 ms), in ONE message per viewer (clients that
 * connect with `auth.patches = true`). Fields are absolute values (last write wins); lists are appended.
 */
export interface ShowPatch {
  showId: string;
  /** Server time (ms) of the newest change in the patch. */
  at: number;
  status?: ShowStatus;
  pin?: PinnedProduct | null;
  deal?: DealState | null;
  /** productId → stock. */
  stock?: Record<string, number>;
  viewers?: number;
  likes?: number;
  slowModeSeconds?: number;
  chat?: ChatMessage[];
  chatDeleted?: string[];
  tickers?: PurchaseTicker[];
  video?: ShowVideo;
  impact?: ShowImpact | null;
}

export interface DealReservation {
  orderId: string;
  paymentId: string;
  quantity: number;
  amountFen: number;
  expiresAt: string;
  /** Storefront path of the payment page. */
  payUrl: string;
}

/** Handshake `auth` of the /live namespace. */
export interface LiveHandshakeAuth {
  /** Access token; absent = anonymous read-only viewer. An invalid token refuses the connection (refresh it). */
  token?: string;
  /** Receive coalesced `show:patch` messages instead of the named events. */
  patches?: boolean;
  /** Random id kept by the browser, for counting unique anonymous viewers. */
  viewerId?: string;
  /** Join this show on connect — and so again on every reconnect, which answers with a fresh `show:state`. */
  showId?: string;
}

type Ack<T extends object = object> = (result: LiveAck<T>) => void;

/** Client → server. Every handler answers through the acknowledgement. */
export interface LiveClientEvents {
  /** Answers with the `show:state` event, then the ack. */
  'show:join': (p: ShowJoin, ack?: Ack) => void;
  'show:leave': (p: ShowJoin, ack?: Ack) => void;
  'chat:send': (p: ChatSend, ack?: Ack<{ message: ChatMessage }>) => void;
  'like:send': (p: LikeSend, ack?: Ack) => void;
  'deal:buy': (p: DealBuy, ack?: Ack<{ reservation: DealReservation }>) => void;
  // host / coop_admin of the show's cooperative:
  'pin:set': (p: PinSet, ack?: Ack<{ pin: PinnedProduct | null }>) => void;
  'deal:launch': (p: DealLaunch, ack?: Ack<{ deal: DealState }>) => void;
  'deal:close': (p: DealClose, ack?: Ack<{ deal: DealState }>) => void;
  'chat:delete': (p: ChatDelete, ack?: Ack) => void;
  'user:mute': (p: UserMute, ack?: Ack) => void;
  'user:ban': (p: UserBan, ack?: Ack) => void;
  'chat:slow-mode': (p: SlowMode, ack?: Ack) => void;
}

/**
 * Server → client. Named events go to clients that did not ask for patches (each at most once per tick,
 * chat messages and tickers one by one); `show:patch` carries the same changes coalesced for the others.
 * `show:state` is sent to everybody on join and rejoin; `host:stats` only to the show's host room.
 */
export interface LiveServerEvents {
  'show:state': (s: ShowState) => void;
  'show:patch': (p: ShowPatch) => void;
  'show:status': (p: { showId: string; status: ShowStatus }) => void;
  'chat:message': (m: ChatMessage) => void;
  'chat:deleted': (p: { messageId: string }) => void;
  'chat:slow-mode': (p: { seconds: number }) => void;
  'pin:changed': (p: { pin: PinnedProduct | null }) => void;
  'deal:updated': (d: DealState) => void;
  /** A live coupon was dropped in the show, or its claimed count changed (coupons.ts). */
  'coupon:changed': (c: CouponEvent) => void;
  'stock:changed': (p: { productId: string; stock: number }) => void;
  'viewers:count': (p: { count: number }) => void;
  'likes:count': (p: { count: number }) => void;
  'purchase:ticker': (t: PurchaseTicker) => void;
  'host:stats': (s: HostStats) => void;
  /** The show's stream went on or off (named-event clients; patch clients get `video` in the patch). */
  'video:changed': (v: ShowVideo) => void;
  /** To the one user: muted until a time (null = lifted) or banned from the show. */
  moderation: (p: { showId: string; kind: 'muted' | 'banned' | 'unbanned'; until: string | null }) => void;
  notification: (n: NotificationDto) => void;
}
