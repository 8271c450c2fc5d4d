import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  ChatMessage,
  DealState,
  HostStats,
  PinnedProduct,
  ProductUnit,
  ShowImpact,
  ShowStatus,
} from '@xiangbo/contracts';
import { LIVE_LIMITS } from '@xiangbo/contracts';
import { StorageService } from '../storage/storage.service';
import { ShowImpactService } from './show-impact';

/** Order statuses that count as paid for GMV (a refunded order is not revenue). */
export const PAID_STATUSES = `('paid','shipped','delivered','completed')`;

export interface ShowRow {
  id: string;
  title: string;
  status: ShowStatus;
  cooperative_id: string;
  cooperative_name: string;
  host_id: string;
  slow_mode_seconds: number;
  likes: number;
  peak_viewers: number;
  /** The show's stream, if a key was ever issued. */
  stream?: { playback_id: string; receiving: boolean } | null;
}

interface PinRow {
  pin_id: string;
  pinned_at: Date;
  product_id: string;
  name_zh: string;
  unit: ProductUnit;
  price_fen: string;
  stock: number;
  thumb_key: string | null;
}

interface DealRow {
  id: string;
  show_id: string;
  product_id: string;
  product_name: string;
  unit: ProductUnit;
  price_fen: string;
  list_price_fen: string;
  quantity: number;
  remaining: number;
  per_buyer_cap: number;
  starts_at: Date;
  ends_at: Date;
  status: 'open' | 'closed';
}

interface ChatRow {
  id: string;
  user_id: string;
  display_name: string;
  text: string;
  from_host: boolean;
  created_at: Date;
}

const DEAL_SELECT = `SELECT d.id, d.show_id, d.product_id, p.name_zh AS product_name, p.unit, d.price_fen, d.list_price_fen, d.quantity,
  d.remaining, d.per_buyer_cap, d.starts_at, d.ends_at, d.status FROM flash_deals d JOIN products p ON p.id = d.product_id`;

/** Reads the live room's state from PostgreSQL (the only source of truth) as contract shapes. */
@Injectable()
export class LiveReader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly impact: ShowImpactService,
  ) {}

  /**
   * Everything a joining viewer needs from the database in ONE round trip: the show, the pinned product with
   * its stock, the open deal, the last 50 messages (a crowd joining at once costs one query each).
   */
  async snapshot(showId: string): Promise<{
    show: ShowRow;
    pin: PinnedProduct | null;
    deal: DealState | null;
    chat: ChatMessage[];
    impact: ShowImpact | null;
  } | null> {
    const [[row], impact] = await Promise.all([
      this.db.query(
        `SELECT s.id, s.title, s.status, s.cooperative_id, c.name AS cooperative_name, s.host_id, s.slow_mode_seconds, s.likes, s.peak_viewers,
              (SELECT row_to_json(x) FROM (
                 SELECT pn.id AS pin_id, pn.pinned_at, p.id AS product_id, p.name_zh, p.unit, p.price_fen, p.stock,
                        (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
                   FROM pins pn JOIN products p ON p.id = pn.product_id WHERE pn.show_id = s.id AND pn.unpinned_at IS NULL) x) AS pin,
              (SELECT row_to_json(x) FROM (
                 ${DEAL_SELECT} WHERE d.show_id = s.id AND d.status = 'open' AND d.ends_at > now() ORDER BY d.created_at DESC LIMIT 1) x) AS deal,
              (SELECT COALESCE(json_agg(x ORDER BY x.created_at, x.id), '[]'::json) FROM (
                 SELECT id, user_id, display_name, text, from_host, created_at FROM chat_messages
                  WHERE show_id = s.id AND NOT deleted ORDER BY created_at DESC, id DESC LIMIT ${LIVE_LIMITS.recentChat}) x) AS chat,
              (SELECT row_to_json(x) FROM (SELECT playback_id, receiving FROM show_streams WHERE show_id = s.id) x) AS stream
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1`,
        [showId],
      ),
      this.impact.of(showId),
    ]);
    if (!row) return null;
    return {
      show: row as ShowRow,
      pin: row.pin ? this.pinDto(row.pin as PinRow) : null,
      deal: row.deal ? dealDto(row.deal as DealRow) : null,
      chat: (row.chat as ChatRow[]).map(chatDto),
      impact,
    };
  }

  async show(showId: string, m: EntityManager = this.db.manager): Promise<ShowRow | null> {
    const [row] = await m.query(
      `SELECT s.id, s.title, s.status, s.cooperative_id, c.name AS cooperative_name, s.host_id, s.slow_mode_seconds, s.likes, s.peak_viewers
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1`,
      [showId],
    );
    return (row as ShowRow) ?? null;
  }

  async pin(showId: string, m: EntityManager = this.db.manager): Promise<PinnedProduct | null> {
    const [row]: PinRow[] = await m.query(
      `SELECT pn.id AS pin_id, pn.pinned_at, p.id AS product_id, p.name_zh, p.unit, p.price_fen, p.stock,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM pins pn JOIN products p ON p.id = pn.product_id WHERE pn.show_id = $1 AND pn.unpinned_at IS NULL`,
      [showId],
    );
    return row ? this.pinDto(row) : null;
  }

  pinDto(row: PinRow): PinnedProduct {
    return {
      pinId: row.pin_id,
      productId: row.product_id,
      nameZh: row.name_zh,
      unit: row.unit,
      priceFen: Number(row.price_fen),
      stock: row.stock,
      coverThumbUrl: row.thumb_key ? this.storage.url(row.thumb_key) : null,
      pinnedAt: new Date(row.pinned_at).toISOString(),
    };
  }

  /** The show's open deal (one whose end time passed counts as closed, whether or not the job ran yet). */
  async openDeal(showId: string, m: EntityManager = this.db.manager): Promise<DealState | null> {
    const [row]: DealRow[] = await m.query(
      `${DEAL_SELECT} WHERE d.show_id = $1 AND d.status = 'open' AND d.ends_at > now() ORDER BY d.created_at DESC LIMIT 1`,
      [showId],
    );
    return row ? dealDto(row) : null;
  }

  async deals(dealIds: string[], m: EntityManager = this.db.manager): Promise<(DealState & { showId: string })[]> {
    if (!dealIds.length) return [];
    const rows: DealRow[] = await m.query(`${DEAL_SELECT} WHERE d.id = ANY($1::uuid[])`, [dealIds]);
    return rows.map((r) => ({ ...dealDto(r), showId: r.show_id }));
  }

  async recentChat(showId: string, m: EntityManager = this.db.manager): Promise<ChatMessage[]> {
    const rows: ChatRow[] = await m.query(
      `SELECT id, user_id, display_name, text, from_host, created_at FROM chat_messages
        WHERE show_id = $1 AND NOT deleted ORDER BY created_at DESC, id DESC LIMIT $2`,
      [showId, LIVE_LIMITS.recentChat],
    );
    return rows.reverse().map(chatDto);
  }

  /** Live shows presenting any of these products, with each product's stock: one query for a whole tick. */
  async stockInLiveShows(productIds: string[]): Promise<{ show_id: string; product_id: string; stock: number }[]> {
    if (!productIds.length) return [];
    return this.db.query(
      `SELECT sp.show_id, p.id AS product_id, p.stock FROM show_products sp
         JOIN shows s ON s.id = sp.show_id AND s.status = 'live'
         JOIN products p ON p.id = sp.product_id
        WHERE sp.product_id = ANY($1::uuid[])`,
      [productIds],
    );
  }

  async hostStats(showId: string): Promise<HostStats> {
    const [row] = await this.db.query(
      `SELECT s.likes, s.peak_viewers,
              (SELECT count(*) FROM chat_messages c WHERE c.show_id = s.id)::int AS chat,
              (SELECT count(*) FROM orders o WHERE o.show_id = s.id)::int AS orders,
              (SELECT count(*) FROM orders o WHERE o.show_id = s.id AND o.status IN ${PAID_STATUSES})::int AS paid,
              (SELECT COALESCE(sum(o.total_fen), 0) FROM orders o WHERE o.show_id = s.id AND o.status IN ${PAID_STATUSES}) AS gmv
         FROM shows s WHERE s.id = $1`,
      [showId],
    );
    return {
      viewers: 0,
      peakViewers: row?.peak_viewers ?? 0,
      likes: row?.likes ?? 0,
      chatMessages: row?.chat ?? 0,
      orders: row?.orders ?? 0,
      paidOrders: row?.paid ?? 0,
      gmvFen: Number(row?.gmv ?? 0),
    };
  }
}

export function dealDto(r: DealRow): DealState {
  const endsAt = new Date(r.ends_at);
  return {
    id: r.id,
    productId: r.product_id,
    productName: r.product_name,
    unit: r.unit,
    priceFen: Number(r.price_fen),
    listPriceFen: Number(r.list_price_fen),
    quantity: r.quantity,
    remaining: r.remaining,
    perBuyerCap: r.per_buyer_cap,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: endsAt.toISOString(),
    status: r.status === 'open' && endsAt.getTime() > Date.now() ? 'open' : 'closed',
  };
}

export function chatDto(r: ChatRow): ChatMessage {
  return {
    id: r.id,
    userId: r.user_id,
    displayName: r.display_name,
    text: r.text,
    fromHost: r.from_host,
    at: new Date(r.created_at).toISOString(),
  };
}
