import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ShowStatus, ShowSummary } from '@xiangbo/contracts';
import type { RecordedRange } from '@xiangbo/domain';

/** Order statuses that count as paid for GMV (a refunded order is not revenue). */
export const PAID_STATUSES = `('paid','shipped','delivered','completed')`;

/** A show as the live room reads it. */
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

/** A show as the public list, its page and the host console read it (one row of LIST_SELECT). */
export interface ListRow {
  id: string;
  title: string;
  description: string;
  status: ShowStatus;
  scheduled_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  cover_key: string | null;
  first_thumb: string | null;
  cooperative_id: string;
  cooperative_name: string;
  province: string;
  county: string;
  host_id: string;
  host_name: string;
  product_count: number;
  subscriber_count: number;
  subscribed: boolean;
  following: boolean;
  summary: ShowSummary | null;
}

/** What the checks of who may change a show read of it. */
export interface ShowAccessRow {
  id: string;
  status: ShowStatus;
  cooperative_id: string;
  host_id: string;
}

export interface ShowProductRow {
  id: string;
  name_zh: string;
  unit: string;
  price_fen: string;
  stock: number;
  sold_count: number;
  thumb_key: string | null;
}

export interface ShowStreamRow {
  playback_id: string;
  receiving: boolean;
  recording: string;
  recording_ranges: RecordedRange[] | null;
  recording_ms: number | null;
}

export interface PinRow {
  product_id: string;
  name_zh: string;
  pinned_at: Date;
  unpinned_at: Date | null;
}

export interface ShowFigures {
  likes: number;
  peak_viewers: number;
  duration: number;
  unique_viewers: number;
  chat: number;
}
export interface OrderFigures {
  orders: number;
  paid: number;
  gmv: string;
  buyers: number;
}
export interface ProductSalesRow {
  product_id: string;
  product_name: string;
  unit: string;
  units: number;
  revenue: string;
}
export interface DealSalesRow {
  id: string;
  name_zh: string;
  price_fen: string;
  quantity: number;
  sold: number;
}

const LIST_SELECT = `
  SELECT s.id, s.title, s.description, s.status, s.scheduled_at, s.started_at, s.ended_at, s.cover_key, s.summary, s.host_id,
         c.id AS cooperative_id, c.name AS cooperative_name, c.province, c.county, u.display_name AS host_name,
         (SELECT count(*) FROM show_products sp WHERE sp.show_id = s.id)::int AS product_count,
         (SELECT count(*) FROM show_subscriptions ss WHERE ss.show_id = s.id)::int AS subscriber_count,
         (SELECT ph.thumb_key FROM show_products sp JOIN product_photos ph ON ph.product_id = sp.product_id
           WHERE sp.show_id = s.id ORDER BY sp.position, ph.position LIMIT 1) AS first_thumb,
         ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM show_subscriptions ss WHERE ss.show_id = s.id AND ss.user_id = $1::uuid)) AS subscribed,
         ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM follows f WHERE f.cooperative_id = s.cooperative_id AND f.user_id = $1::uuid)) AS following
    FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id JOIN users u ON u.id = s.host_id`;

/**
 * The shows' SQL (tables `shows`, `show_products`, `pins`, owned by the live feature; the summary also reads the
 * orders of the show). Every method runs on the given manager: a transaction's, or the data source's own.
 */
@Injectable()
export class ShowsRepository {
  // ---- the public list, pages and the console ----------------------------------------------------------------

  /** $a = status (null: all but cancelled), $b = cooperative (null: all) */
  private filter(a: number, b: number) {
    return `WHERE c.status = 'approved' AND (($${a}::text IS NULL AND s.status <> 'cancelled') OR s.status = $${a}::text)
         AND ($${b}::uuid IS NULL OR s.cooperative_id = $${b}::uuid)`;
  }

  /** How many shows the public list holds for this status (null: all but cancelled) and cooperative (null: all). */
  async countListed(m: EntityManager, status: ShowStatus | null, coopId: string | null): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id ${this.filter(1, 2)}`,
      [status, coopId],
    );
    return n;
  }

  /** One page of the public list: live first, then the next scheduled, then the most recent. */
  listed(
    m: EntityManager,
    viewerId: string | null,
    status: ShowStatus | null,
    coopId: string | null,
    page: { limit: number; offset: number },
  ): Promise<ListRow[]> {
    const order = `ORDER BY CASE s.status WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END,
                   CASE WHEN s.status = 'scheduled' THEN s.scheduled_at END ASC,
                   COALESCE(s.ended_at, s.started_at, s.scheduled_at) DESC, s.id`;
    return m.query(`${LIST_SELECT} ${this.filter(2, 3)} ${order} LIMIT ${page.limit} OFFSET ${page.offset}`, [
      viewerId,
      status,
      coopId,
    ]);
  }

  /** The console's schedule: every show of the cooperative (cancelled ones too), live first. */
  ofCooperative(m: EntityManager, viewerId: string, coopId: string): Promise<ListRow[]> {
    return m.query(
      `${LIST_SELECT} WHERE s.cooperative_id = $2 ORDER BY CASE s.status WHEN 'live' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END, s.scheduled_at DESC LIMIT 200`,
      [viewerId, coopId],
    );
  }

  /** One show; publicOnly: not cancelled, of an approved cooperative. */
  async row(m: EntityManager, viewerId: string | null, showId: string, publicOnly: boolean): Promise<ListRow | null> {
    const [row] = await m.query(
      `${LIST_SELECT} WHERE s.id = $2 ${publicOnly ? `AND s.status <> 'cancelled' AND c.status = 'approved'` : ''}`,
      [viewerId, showId],
    );
    return (row as ListRow) ?? null;
  }

  /** The show's products in their order, each with its first photo. */
  products(m: EntityManager, showId: string): Promise<ShowProductRow[]> {
    return m.query(
      `SELECT p.id, p.name_zh, p.unit, p.price_fen, p.stock, p.sold_count,
              (SELECT ph.thumb_key FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position LIMIT 1) AS thumb_key
         FROM show_products sp JOIN products p ON p.id = sp.product_id WHERE sp.show_id = $1 ORDER BY sp.position`,
      [showId],
    );
  }

  /** The show's stream with its recording, if it has one. */
  async stream(m: EntityManager, showId: string): Promise<ShowStreamRow | null> {
    const [stream] = await m.query(
      `SELECT playback_id, receiving, recording, recording_ranges, recording_ms FROM show_streams WHERE show_id = $1`,
      [showId],
    );
    return stream ?? null;
  }

  /** What going live needs of the stream: its playback id and whether it is receiving. */
  async liveStream(m: EntityManager, showId: string): Promise<{ playback_id: string; receiving: boolean } | null> {
    const [stream] = await m.query(`SELECT playback_id, receiving FROM show_streams WHERE show_id = $1`, [showId]);
    return stream ?? null;
  }

  /** Every pin of the show, oldest first (the replay's chapters). */
  pins(m: EntityManager, showId: string): Promise<PinRow[]> {
    return m.query(
      `SELECT pn.product_id, p.name_zh, pn.pinned_at, pn.unpinned_at FROM pins pn JOIN products p ON p.id = pn.product_id
        WHERE pn.show_id = $1 ORDER BY pn.pinned_at`,
      [showId],
    );
  }

  /** The show as the live room reads it (without its stream). */
  async roomShow(m: EntityManager, showId: string): Promise<ShowRow | null> {
    const [row] = await m.query(
      `SELECT s.id, s.title, s.status, s.cooperative_id, c.name AS cooperative_name, s.host_id, s.slow_mode_seconds, s.likes, s.peak_viewers
         FROM shows s JOIN cooperatives c ON c.id = s.cooperative_id WHERE s.id = $1`,
      [showId],
    );
    return (row as ShowRow) ?? null;
  }

  /** The host console's running figures: likes, peak, chat messages, orders, paid orders and their GMV. */
  async hostStats(
    m: EntityManager,
    showId: string,
  ): Promise<
    { likes: number; peak_viewers: number; chat: number; orders: number; paid: number; gmv: string } | undefined
  > {
    const [row] = await m.query(
      `SELECT s.likes, s.peak_viewers,
              (SELECT count(*) FROM chat_messages c WHERE c.show_id = s.id)::int AS chat,
              (SELECT count(*) FROM orders o WHERE o.show_id = s.id)::int AS orders,
              (SELECT count(*) FROM orders o WHERE o.show_id = s.id AND o.status IN ${PAID_STATUSES})::int AS paid,
              (SELECT COALESCE(sum(o.total_fen), 0) FROM orders o WHERE o.show_id = s.id AND o.status IN ${PAID_STATUSES}) AS gmv
         FROM shows s WHERE s.id = $1`,
      [showId],
    );
    return row;
  }

  /** Live shows presenting any of these products, with each product's stock: one query for a whole tick. */
  stockInLiveShows(
    m: EntityManager,
    productIds: string[],
  ): Promise<{ show_id: string; product_id: string; stock: number }[]> {
    return m.query(
      `SELECT sp.show_id, p.id AS product_id, p.stock FROM show_products sp
         JOIN shows s ON s.id = sp.show_id AND s.status = 'live'
         JOIN products p ON p.id = sp.product_id
        WHERE sp.product_id = ANY($1::uuid[])`,
      [productIds],
    );
  }

  // ---- writes ----------------------------------------------------------------------------------------------

  /** The show for a change (locked with FOR UPDATE when `lock`), or null. */
  async forAccess(m: EntityManager, showId: string, lock: boolean): Promise<ShowAccessRow | null> {
    const [show] = await m.query(
      `SELECT id, status, cooperative_id, host_id FROM shows WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [showId],
    );
    return show ?? null;
  }

  async insert(
    m: EntityManager,
    s: { id: string; cooperativeId: string; hostId: string; title: string; description: string; scheduledAt: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO shows (id, cooperative_id, host_id, title, description, scheduled_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'scheduled')`,
      [s.id, s.cooperativeId, s.hostId, s.title, s.description, s.scheduledAt],
    );
  }

  /** Changes the given fields (none given: no statement). */
  async update(
    m: EntityManager,
    showId: string,
    fields: { title?: string; description?: string; scheduledAt?: Date },
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [showId];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (fields.title !== undefined) set('title', fields.title);
    if (fields.description !== undefined) set('description', fields.description);
    if (fields.scheduledAt !== undefined) set('scheduled_at', fields.scheduledAt);
    if (sets.length) await m.query(`UPDATE shows SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  async setCover(m: EntityManager, showId: string, key: string): Promise<void> {
    await m.query(`UPDATE shows SET cover_key = $2, updated_at = now() WHERE id = $1`, [showId, key]);
  }

  async markLive(m: EntityManager, showId: string): Promise<void> {
    await m.query(`UPDATE shows SET status = 'live', started_at = now(), updated_at = now() WHERE id = $1`, [showId]);
  }

  /** Ended: slow mode off as well. */
  async markEnded(m: EntityManager, showId: string): Promise<void> {
    await m.query(
      `UPDATE shows SET status = 'ended', ended_at = now(), slow_mode_seconds = 0, updated_at = now() WHERE id = $1`,
      [showId],
    );
  }

  async markCancelled(m: EntityManager, showId: string): Promise<void> {
    await m.query(`UPDATE shows SET status = 'cancelled', updated_at = now() WHERE id = $1`, [showId]);
  }

  async setSlowMode(m: EntityManager, showId: string, seconds: number): Promise<void> {
    await m.query(`UPDATE shows SET slow_mode_seconds = $2 WHERE id = $1`, [showId, seconds]);
  }

  /** Ends the pin on screen, if any (on the database's clock). */
  async unpin(m: EntityManager, showId: string): Promise<void> {
    await m.query(`UPDATE pins SET unpinned_at = clock_timestamp() WHERE show_id = $1 AND unpinned_at IS NULL`, [
      showId,
    ]);
  }

  /** Which of these products are published products of the cooperative. */
  publishedOfCooperative(m: EntityManager, productIds: string[], coopId: string): Promise<{ id: string }[]> {
    return m.query(`SELECT id FROM products WHERE id = ANY($1::uuid[]) AND cooperative_id = $2 AND published`, [
      productIds,
      coopId,
    ]);
  }

  /** The show's products become these, in this order. */
  async replaceProducts(m: EntityManager, showId: string, productIds: string[]): Promise<void> {
    await m.query(`DELETE FROM show_products WHERE show_id = $1`, [showId]);
    await m.query(
      `INSERT INTO show_products (show_id, product_id, position) SELECT $1, id, ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [showId, productIds],
    );
  }

  // ---- status reads for jobs and events ----------------------------------------------------------------------

  /** The show's status, the row locked (a summary refresh after a late payment). */
  async lockedStatus(m: EntityManager, showId: string): Promise<ShowStatus | null> {
    const [s] = await m.query(`SELECT status FROM shows WHERE id = $1 FOR UPDATE`, [showId]);
    return s?.status ?? null;
  }

  /** Status and scheduled time (the reminder job checks the show still starts when it was made for). */
  async schedule(m: EntityManager, showId: string): Promise<{ status: ShowStatus; scheduled_at: Date } | null> {
    const [s] = await m.query(`SELECT status, scheduled_at FROM shows WHERE id = $1`, [showId]);
    return s ?? null;
  }

  // ---- summary ---------------------------------------------------------------------------------------------

  /** Likes, peak and unique viewers, chat messages, duration in seconds (running shows: up to now). */
  async figures(m: EntityManager, showId: string): Promise<ShowFigures | undefined> {
    const [s] = await m.query(
      `SELECT s.likes, s.peak_viewers, EXTRACT(epoch FROM (COALESCE(s.ended_at, now()) - COALESCE(s.started_at, now())))::int AS duration,
              (SELECT count(*) FROM show_viewers v WHERE v.show_id = s.id)::int AS unique_viewers,
              (SELECT count(*) FROM chat_messages c WHERE c.show_id = s.id)::int AS chat
         FROM shows s WHERE s.id = $1`,
      [showId],
    );
    return s;
  }

  /** The show's orders: all, paid, GMV and distinct buyers of the paid ones. */
  async orderFigures(m: EntityManager, showId: string): Promise<OrderFigures> {
    const [o] = await m.query(
      `SELECT count(*)::int AS orders,
              count(*) FILTER (WHERE status IN ${PAID_STATUSES})::int AS paid,
              COALESCE(sum(total_fen) FILTER (WHERE status IN ${PAID_STATUSES}), 0) AS gmv,
              count(DISTINCT buyer_id) FILTER (WHERE status IN ${PAID_STATUSES})::int AS buyers
         FROM orders WHERE show_id = $1`,
      [showId],
    );
    return o;
  }

  /** Units and revenue per product over the show's paid orders, best first. */
  productSales(m: EntityManager, showId: string): Promise<ProductSalesRow[]> {
    return m.query(
      `SELECT l.product_id, l.product_name, l.unit, sum(l.quantity)::int AS units, sum(l.line_total_fen) AS revenue
         FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.show_id = $1 AND o.status IN ${PAID_STATUSES}
        GROUP BY l.product_id, l.product_name, l.unit ORDER BY revenue DESC`,
      [showId],
    );
  }

  /** Each flash deal of the show with the units sold in paid orders. */
  dealSales(m: EntityManager, showId: string): Promise<DealSalesRow[]> {
    return m.query(
      `SELECT d.id, p.name_zh, d.price_fen, d.quantity,
              (SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
                WHERE l.deal_id = d.id AND o.status IN ${PAID_STATUSES})::int AS sold
         FROM flash_deals d JOIN products p ON p.id = d.product_id WHERE d.show_id = $1 ORDER BY d.created_at`,
      [showId],
    );
  }

  async storeSummary(m: EntityManager, showId: string, summary: ShowSummary): Promise<void> {
    await m.query(`UPDATE shows SET summary = $2 WHERE id = $1`, [showId, JSON.stringify(summary)]);
  }
}
