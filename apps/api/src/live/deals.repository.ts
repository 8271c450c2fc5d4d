import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AddressInput, ProductUnit } from '@xiangbo/contracts';
import { rowsOf } from './live-hub';

/** What a buy checks of each buyer before queueing: a ban from the show, the default address. */
export interface BuyerForDeal {
  banned: boolean;
  address: AddressInput | null;
}

export interface DealTermsRow {
  showId: string;
  productId: string;
  priceFen: number;
  perBuyerCap: number;
  remaining: number;
  status: 'open' | 'closed';
  startsAt: Date;
  endsAt: Date;
}

/** A deal with its product's name and unit, as the room shows it. */
export interface DealRow {
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

export const DEAL_SELECT = `SELECT d.id, d.show_id, d.product_id, p.name_zh AS product_name, p.unit, d.price_fen, d.list_price_fen, d.quantity,
  d.remaining, d.per_buyer_cap, d.starts_at, d.ends_at, d.status FROM flash_deals d JOIN products p ON p.id = d.product_id`;

/** The flash deals' SQL (table `flash_deals`, owned by the live feature). Every method runs on the given manager. */
@Injectable()
export class DealsRepository {
  /** The deal and, for many buyers at once, their ban and default address: one round trip for a crowd. */
  async forBuyers(
    m: EntityManager,
    dealId: string,
    buyerIds: string[],
  ): Promise<{ deal: DealTermsRow | null; buyers: Map<string, BuyerForDeal> }> {
    const rows = rowsOf(
      await m.query(
        `SELECT d.show_id, d.product_id, d.price_fen, d.per_buyer_cap, d.remaining, d.status, d.starts_at, d.ends_at,
                u.id AS buyer_id,
                EXISTS (SELECT 1 FROM show_moderation b WHERE b.show_id = d.show_id AND b.user_id = u.id AND b.kind = 'ban') AS banned,
                (SELECT row_to_json(a) FROM (SELECT recipient, mobile, province, city, district, detail FROM addresses
                   WHERE user_id = u.id ORDER BY is_default DESC, created_at DESC LIMIT 1) a) AS address
           FROM flash_deals d CROSS JOIN unnest($2::uuid[]) AS u(id) WHERE d.id = $1`,
        [dealId, buyerIds],
      ),
    );
    const buyers = new Map<string, BuyerForDeal>(
      rows.map((r) => [
        String(r.buyer_id),
        { banned: Boolean(r.banned), address: (r.address as AddressInput | null) ?? null },
      ]),
    );
    return { deal: rows[0] ? toTerms(rows[0]) : null, buyers };
  }

  async terms(m: EntityManager, dealId: string): Promise<DealTermsRow | null> {
    const [d] = rowsOf(
      await m.query(
        `SELECT show_id, product_id, price_fen, per_buyer_cap, remaining, status, starts_at, ends_at FROM flash_deals WHERE id = $1`,
        [dealId],
      ),
    );
    return d ? toTerms(d) : null;
  }

  /**
   * ONE conditional UPDATE for a batch: takes `want` units or what remains, only while the deal is open (status and
   * time, on the database's clock). Returns what it took and what is left; null when it took nothing.
   */
  async takeUpTo(m: EntityManager, dealId: string, want: number): Promise<{ taken: number; left: number } | null> {
    const [row] = rowsOf(
      await m.query(
        `WITH cur AS (SELECT id, remaining FROM flash_deals WHERE id = $1 FOR NO KEY UPDATE)
         UPDATE flash_deals d SET remaining = d.remaining - LEAST(cur.remaining, $2) FROM cur
          WHERE d.id = cur.id AND cur.remaining > 0 AND d.status = 'open' AND d.starts_at <= now() AND d.ends_at > now()
          RETURNING LEAST(cur.remaining, $2)::int AS taken, d.remaining AS left`,
        [dealId, want],
      ),
    );
    return row ? { taken: Number(row.taken), left: Number(row.left) } : null;
  }

  /** Whether a deal is open now (database clock) — after a take found nothing, to say closed or sold out. */
  async isOpen(m: EntityManager, dealId: string): Promise<boolean> {
    const [row] = rowsOf(
      await m.query(
        `SELECT (status = 'open' AND starts_at <= now() AND ends_at > now()) AS open FROM flash_deals WHERE id = $1`,
        [dealId],
      ),
    );
    return Boolean(row?.open);
  }

  /** The show's open deal whose end time has not come, the latest if several. */
  async openOfShow(m: EntityManager, showId: string): Promise<DealRow | null> {
    const [row]: DealRow[] = await m.query(
      `${DEAL_SELECT} WHERE d.show_id = $1 AND d.status = 'open' AND d.ends_at > now() ORDER BY d.created_at DESC LIMIT 1`,
      [showId],
    );
    return row ?? null;
  }

  byIds(m: EntityManager, dealIds: string[]): Promise<DealRow[]> {
    return m.query(`${DEAL_SELECT} WHERE d.id = ANY($1::uuid[])`, [dealIds]);
  }

  /** Closes the show's open deal(s) now (the show ends, or another deal replaces it); returns their ids. */
  async closeOpenOfShow(m: EntityManager, showId: string): Promise<string[]> {
    const rows = rowsOf(
      await m.query(
        `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE show_id = $1 AND status = 'open' RETURNING id`,
        [showId],
      ),
    );
    return rows.map((r) => String(r.id));
  }

  /** What launching a deal checks of the product: list price, stock, pinned now; null when it is not in the show. */
  async productForLaunch(
    m: EntityManager,
    showId: string,
    productId: string,
  ): Promise<{ price_fen: string; stock: number; pinned: boolean } | null> {
    const [product] = await m.query(
      `SELECT p.price_fen, p.stock, (pn.id IS NOT NULL) AS pinned FROM products p
           JOIN show_products sp ON sp.product_id = p.id AND sp.show_id = $1
           LEFT JOIN pins pn ON pn.show_id = $1 AND pn.product_id = p.id AND pn.unpinned_at IS NULL
          WHERE p.id = $2`,
      [showId, productId],
    );
    return product ?? null;
  }

  /** A new open deal from now for `durationSeconds` (database clock), all its units remaining; returns its id. */
  async insert(
    m: EntityManager,
    d: {
      showId: string;
      productId: string;
      priceFen: number;
      listPriceFen: number;
      quantity: number;
      perBuyerCap: number;
      durationSeconds: number;
      createdBy: string;
    },
  ): Promise<string> {
    const [row] = rowsOf(
      await m.query(
        `INSERT INTO flash_deals (show_id, product_id, price_fen, list_price_fen, quantity, remaining, per_buyer_cap, starts_at, ends_at, status, created_by)
           VALUES ($1, $2, $3, $4, $5, $5, $6, now(), now() + make_interval(secs => $7), 'open', $8) RETURNING id`,
        [d.showId, d.productId, d.priceFen, d.listPriceFen, d.quantity, d.perBuyerCap, d.durationSeconds, d.createdBy],
      ),
    );
    return String(row.id);
  }

  async isOfShow(m: EntityManager, dealId: string, showId: string): Promise<boolean> {
    const [found] = await m.query(`SELECT 1 FROM flash_deals WHERE id = $1 AND show_id = $2`, [dealId, showId]);
    return Boolean(found);
  }

  /** Closes the deal now if it is open (the host ends it early). */
  async close(m: EntityManager, dealId: string): Promise<void> {
    await m.query(`UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE id = $1 AND status = 'open'`, [
      dealId,
    ]);
  }

  /** Closes the deal if it is open and its end time has come; whether it did. */
  async closeIfDue(m: EntityManager, dealId: string): Promise<boolean> {
    const rows = rowsOf(
      await m.query(
        `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE id = $1 AND status = 'open' AND ends_at <= now() RETURNING id`,
        [dealId],
      ),
    );
    return rows.length > 0;
  }

  /** Closes every open deal past its end time; returns their ids. */
  async closeDue(m: EntityManager): Promise<string[]> {
    const rows = rowsOf(
      await m.query(
        `UPDATE flash_deals SET status = 'closed', closed_at = now() WHERE status = 'open' AND ends_at <= now() RETURNING id`,
      ),
    );
    return rows.map((r) => String(r.id));
  }

  /** Units back to a deal (a reservation released, or units a batch could not hand out). */
  async giveBack(m: EntityManager, dealId: string, quantity: number): Promise<void> {
    if (quantity <= 0) return;
    await m.query(`UPDATE flash_deals SET remaining = remaining + $2 WHERE id = $1`, [dealId, quantity]);
  }
}

function toTerms(d: Record<string, unknown>): DealTermsRow {
  return {
    showId: String(d.show_id),
    productId: String(d.product_id),
    priceFen: Number(d.price_fen),
    perBuyerCap: Number(d.per_buyer_cap),
    remaining: Number(d.remaining),
    status: d.status as 'open' | 'closed',
    startsAt: new Date(d.starts_at as string),
    endsAt: new Date(d.ends_at as string),
  };
}
