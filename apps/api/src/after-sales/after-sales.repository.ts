import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CooperativePromises } from '@xiangbo/contracts';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import {
  AfterSalesDispute,
  AfterSalesRequest,
  CooperativePromiseRow,
  StoredAfterSalesPhoto,
} from './entities/after-sales.entity';

export interface OrderFacts {
  id: string;
  number: string;
  buyer_id: string;
  cooperative_id: string;
  status: string;
  paid_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
}

export interface RefundFacts {
  id: string;
  status: 'requested' | 'declined' | 'pending' | 'succeeded' | 'failed';
  amount_fen: string;
  decision_note: string | null;
  completed_at: Date | null;
}

/**
 * Every statement of the after-sales feature. It writes its own tables (after_sales_requests, cooperative_promises,
 * after_sales_disputes);
 * it reads orders and refunds (the refund row is the orders' and changes only through LifecycleService).
 */
@Injectable()
export class AfterSalesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  get manager(): EntityManager {
    return this.db.manager;
  }

  async order(m: EntityManager, id: string): Promise<OrderFacts | null> {
    const [row]: OrderFacts[] = await m.query(
      `SELECT id, number, buyer_id, cooperative_id, status, paid_at, shipped_at, delivered_at FROM orders WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async refunds(m: EntityManager, ids: string[], lock = false): Promise<Map<string, RefundFacts>> {
    if (!ids.length) return new Map();
    const rows: RefundFacts[] = await m.query(
      `SELECT id, status, amount_fen, decision_note, completed_at FROM refunds WHERE id = ANY($1::uuid[])${lock ? ' FOR UPDATE' : ''}`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async orderNumbers(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; number: string }[] = await this.db.query(
      `SELECT id, number FROM orders WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.number]));
  }

  /** A request of the order whose refund is still undecided, or whose dispute the platform has not decided yet. */
  async openForOrder(m: EntityManager, orderId: string): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM after_sales_requests a JOIN refunds r ON r.id = a.refund_id
        WHERE a.order_id = $1 AND r.status IN ('requested', 'pending')
       UNION ALL
       SELECT 1 FROM after_sales_disputes d WHERE d.order_id = $1 AND d.status = 'open'
       LIMIT 1`,
      [orderId],
    );
    return rows.length > 0;
  }

  async promises(m: EntityManager, cooperativeId: string): Promise<CooperativePromises> {
    const row = await m.getRepository(CooperativePromiseRow).findOne({ where: { cooperativeId } });
    return {
      sevenDayReturn: row?.sevenDayReturn ?? false,
      badFruitCover: row?.badFruitCover ?? false,
      shipWithin48h: row?.shipWithin48h ?? false,
    };
  }

  async setPromises(cooperativeId: string, p: CooperativePromises, by: string): Promise<void> {
    await this.db
      .getRepository(CooperativePromiseRow)
      .upsert({ cooperativeId, ...p, updatedAt: new Date(), updatedBy: by }, ['cooperativeId']);
  }

  async cooperativeExists(id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM cooperatives WHERE id = $1 AND status = 'approved'`, [id])).length > 0;
  }

  async insert(m: EntityManager, row: Partial<AfterSalesRequest>): Promise<AfterSalesRequest> {
    const repo = m.getRepository(AfterSalesRequest);
    return repo.save(repo.create({ photos: [], ...row }));
  }

  byId(m: EntityManager, id: string, lock = false): Promise<AfterSalesRequest | null> {
    return m
      .getRepository(AfterSalesRequest)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  byOrder(orderId: string): Promise<AfterSalesRequest[]> {
    return this.db.getRepository(AfterSalesRequest).find({ where: { orderId }, order: { createdAt: 'DESC' } });
  }

  byCooperative(cooperativeId: string, limit: number): Promise<AfterSalesRequest[]> {
    return this.db
      .getRepository(AfterSalesRequest)
      .find({ where: { cooperativeId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async setPhotos(m: EntityManager, id: string, photos: StoredAfterSalesPhoto[]): Promise<void> {
    await m.getRepository(AfterSalesRequest).update({ id }, { photos });
  }

  /** The cooperative agrees to take the goods back: once (a second call changes nothing and says so). */
  async acceptReturn(m: EntityManager, id: string, note: string | null): Promise<boolean> {
    const r = await m
      .getRepository(AfterSalesRequest)
      .update({ id, returnAcceptedAt: IsNull() }, { returnAcceptedAt: new Date(), returnNote: note });
    return (r.affected ?? 0) > 0;
  }

  async setReturnShipment(m: EntityManager, id: string, carrier: string, tracking: string): Promise<void> {
    await m
      .getRepository(AfterSalesRequest)
      .update({ id }, { returnCarrier: carrier, returnTracking: tracking, returnShippedAt: new Date() });
  }

  // ---- disputes (平台介入) -------------------------------------------------------------------------------------

  disputesOf(m: EntityManager, afterSalesIds: string[]): Promise<AfterSalesDispute[]> {
    if (!afterSalesIds.length) return Promise.resolve([]);
    return m.getRepository(AfterSalesDispute).find({ where: { afterSalesId: In(afterSalesIds) } });
  }

  /** Whether the after-sales request of this refund is with the platform (an open dispute). */
  async openDisputeOfRefund(m: EntityManager, refundId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM after_sales_disputes d JOIN after_sales_requests a ON a.id = d.after_sales_id
        WHERE a.refund_id = $1 AND d.status = 'open' LIMIT 1`,
      [refundId],
    );
    return rows.length > 0;
  }

  disputeById(m: EntityManager, id: string, lock = false): Promise<AfterSalesDispute | null> {
    return m
      .getRepository(AfterSalesDispute)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** One dispute per request: a second insert (a double tap) finds the row and inserts nothing (false). */
  async insertDispute(m: EntityManager, row: Partial<AfterSalesDispute>): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .insert()
      .into(AfterSalesDispute)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    return r.raw.length > 0;
  }

  async decideDispute(
    m: EntityManager,
    id: string,
    d: Pick<AfterSalesDispute, 'status' | 'decisionNote' | 'refundFen' | 'refundId' | 'decidedBy'>,
  ): Promise<boolean> {
    const r = await m.getRepository(AfterSalesDispute).update({ id, status: 'open' }, { ...d, decidedAt: new Date() });
    return (r.affected ?? 0) > 0;
  }

  /** The platform's queue: open ones first, oldest first; then the latest decided. */
  disputeQueue(status: 'open' | 'decided', limit: number): Promise<AfterSalesDispute[]> {
    return this.db.getRepository(AfterSalesDispute).find({
      where: status === 'open' ? { status: 'open' } : { status: In(['refunded', 'upheld']) },
      // open: the oldest first (the queue); decided: the latest decisions first
      order: status === 'open' ? { createdAt: 'ASC' } : { decidedAt: 'DESC', createdAt: 'DESC' },
      take: limit,
    });
  }

  byIds(ids: string[]): Promise<AfterSalesRequest[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.getRepository(AfterSalesRequest).find({ where: { id: In(ids) } });
  }

  /** What the platform reads of each order in its queue: state, money, lines, the cooperative's name. */
  async ordersForDisputes(ids: string[]): Promise<
    Map<
      string,
      {
        status: string;
        total_fen: string;
        refunded_fen: string;
        paid_at: Date | null;
        cooperative_name: string;
        lines: { name: string; quantity: number; unit: string; lineTotalFen: string }[];
      }
    >
  > {
    if (!ids.length) return new Map();
    const rows = await this.db.query(
      `SELECT o.id, o.status, o.total_fen, o.refunded_fen, o.paid_at, c.name AS cooperative_name,
              COALESCE((SELECT json_agg(json_build_object('name', l.product_name, 'quantity', l.quantity,
                         'unit', l.unit, 'lineTotalFen', l.line_total_fen::text) ORDER BY l.product_name)
                          FROM order_lines l WHERE l.order_id = o.id), '[]') AS lines
         FROM orders o JOIN cooperatives c ON c.id = o.cooperative_id
        WHERE o.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r: { id: string }) => [r.id, r]));
  }
}
