import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ChatMessage, DealState, HostStats, PinnedProduct, ShowImpact } from '@xiangbo/contracts';
import { LIVE_LIMITS } from '@xiangbo/contracts';
import { StorageService } from '../storage/storage.service';
import { type DealRow, DealsRepository } from './deals.repository';
import { type ChatMessageRow, type PinRow, RoomRepository } from './room.repository';
import { ShowImpactService } from './show-impact';
import { type ShowRow, ShowsRepository } from './shows.repository';

export { PAID_STATUSES } from './shows.repository';
export type { ShowRow } from './shows.repository';

type ChatRow = ChatMessageRow;

/** Reads the live room's state from PostgreSQL (the only source of truth) as contract shapes. */
@Injectable()
export class LiveReader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly impact: ShowImpactService,
    private readonly room: RoomRepository,
    private readonly shows: ShowsRepository,
    private readonly dealRows: DealsRepository,
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
    const [row, impact] = await Promise.all([this.room.snapshot(this.db.manager, showId), this.impact.of(showId)]);
    if (!row) return null;
    return {
      show: row,
      pin: row.pin ? this.pinDto(row.pin) : null,
      deal: row.deal ? dealDto(row.deal) : null,
      chat: row.chat.map(chatDto),
      impact,
    };
  }

  async show(showId: string, m: EntityManager = this.db.manager): Promise<ShowRow | null> {
    return this.shows.roomShow(m, showId);
  }

  async pin(showId: string, m: EntityManager = this.db.manager): Promise<PinnedProduct | null> {
    const row = await this.room.currentPin(m, showId);
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
    const row = await this.dealRows.openOfShow(m, showId);
    return row ? dealDto(row) : null;
  }

  async deals(dealIds: string[], m: EntityManager = this.db.manager): Promise<(DealState & { showId: string })[]> {
    if (!dealIds.length) return [];
    const rows = await this.dealRows.byIds(m, dealIds);
    return rows.map((r) => ({ ...dealDto(r), showId: r.show_id }));
  }

  async recentChat(showId: string, m: EntityManager = this.db.manager): Promise<ChatMessage[]> {
    const rows = await this.room.recentChat(m, showId, LIVE_LIMITS.recentChat);
    return rows.reverse().map(chatDto);
  }

  /** Live shows presenting any of these products, with each product's stock: one query for a whole tick. */
  async stockInLiveShows(productIds: string[]): Promise<{ show_id: string; product_id: string; stock: number }[]> {
    if (!productIds.length) return [];
    return this.shows.stockInLiveShows(this.db.manager, productIds);
  }

  async hostStats(showId: string): Promise<HostStats> {
    const row = await this.shows.hostStats(this.db.manager, showId);
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
