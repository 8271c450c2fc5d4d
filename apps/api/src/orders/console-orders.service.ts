import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { OrderStatus } from '@xiangbo/domain';
import { PRODUCT_UNIT_LABELS_ZH, type ProductUnit } from '@xiangbo/contracts';
import { chinaDateTime, fenToYuanString } from '@xiangbo/domain';
import { Order } from './entities/order.entity';
import { Refund } from './entities/refund.entity';
import { OrderHooks } from './order-hooks';
import { OrdersService } from './orders.service';

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote everything; neutralise spreadsheet formulas in user-entered text.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** Read models of the cooperative console (queries only; transitions live in LifecycleService). */
@Injectable()
export class ConsoleOrdersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orders: OrdersService,
    private readonly hooks: OrderHooks,
  ) {}

  async list(cooperativeId: string, status: OrderStatus | undefined, page: number, pageSize: number) {
    const [rows, total] = await this.db.getRepository(Order).findAndCount({
      where: {
        cooperativeId,
        ...(status ? { status } : { status: In(['paid', 'shipped', 'delivered', 'completed', 'refunded']) }),
      },
      order: { paidAt: 'ASC', createdAt: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: await this.orders.dtos(rows.map((r) => r.id)), total, page, pageSize };
  }

  /**
   * What to pack: paid orders, less those an offer holds back (a group not formed yet, a pre-sale waiting for its
   * balance: the offers' mayShip, asked in one read-only transaction). Times in China time, to the minute.
   */
  async packingListCsv(cooperativeId: string): Promise<string> {
    const rows = await this.db.transaction(async (m) => {
      const all: {
        order_id: string;
        number: string;
        paid_at: Date;
        address: Record<string, string>;
        product_name: string;
        unit: string;
        quantity: number;
        total_fen: string;
        offer_id: string | null;
      }[] = await m.query(
        `SELECT o.id AS order_id, o.number, o.paid_at, o.address, l.product_name, l.unit, l.quantity, o.total_fen,
                l.deal_id AS offer_id
           FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.cooperative_id = $1 AND o.status = 'paid' ORDER BY o.paid_at, o.number, l.product_name`,
        [cooperativeId],
      );
      const held = new Set<string>();
      if (this.hooks.hasOffers())
        for (const r of all)
          if (
            r.offer_id &&
            !held.has(r.order_id) &&
            (await this.hooks.offerHooks().mayShip?.(m, r.offer_id, r.order_id))
          )
            held.add(r.order_id);
      return all.filter((r) => !held.has(r.order_id));
    });
    const header = [
      '订单号',
      '付款时间',
      '收货人',
      '手机号',
      '省',
      '市',
      '区县',
      '详细地址',
      '商品',
      '数量',
      '单位',
      '订单金额(元)',
    ];
    const lines = rows.map((r) =>
      [
        r.number,
        chinaDateTime(r.paid_at),
        r.address.recipient,
        r.address.mobile,
        r.address.province,
        r.address.city,
        r.address.district,
        r.address.detail,
        r.product_name,
        r.quantity,
        PRODUCT_UNIT_LABELS_ZH[r.unit as ProductUnit] ?? r.unit,
        fenToYuanString(Number(r.total_fen)),
      ]
        .map(csvCell)
        .join(','),
    );
    return '\uFEFF' + [header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
  }

  async refunds(cooperativeId: string) {
    const rows = await this.db
      .getRepository(Refund)
      .createQueryBuilder('r')
      .innerJoin(Order, 'o', 'o.id = r.order_id')
      .where('o.cooperative_id = :c', { c: cooperativeId })
      .orderBy('r.created_at', 'DESC')
      .addSelect(['o.number'])
      .getRawAndEntities();
    return rows.entities.map((r, i) => ({
      id: r.id,
      orderId: r.orderId,
      orderNumber: (rows.raw[i] as { o_number: string }).o_number,
      amountFen: r.amountFen,
      reason: r.reason,
      status: r.status,
      decisionNote: r.decisionNote,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
