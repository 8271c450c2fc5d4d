import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PRODUCT_UNIT_LABELS_ZH, type ProductUnit } from '@xiangbo/contracts';
import { shortProvince, tickerText } from '@xiangbo/domain';
import { DomainEvents } from '../common/domain-events';
import { LiveHub } from './live-hub';
import { LiveReader } from './live-reader';
import { ShowImpactService } from './show-impact';

/**
 * Turns committed facts of other features into live-room changes: stock moved (reservations, expiries, other
 * buyers), a deal's remaining changed, an order of a show was paid (the purchase ticker and the 本场助农 counter). Facts are collected
 * and resolved once per tick — a flash deal's 500 reservations in a tick cost one stock query, not 500.
 */
@Injectable()
export class LiveEventsBridge implements OnModuleInit {
  private products = new Set<string>();
  private deals = new Set<string>();
  private paid: { orderId: string; showId: string; province: string }[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly hub: LiveHub,
    private readonly reader: LiveReader,
    private readonly impact: ShowImpactService,
  ) {}

  onModuleInit() {
    this.events.on('stock.changed', (e) => this.products.add(e.productId));
    this.events.on('deal.changed', (e) => this.deals.add(e.dealId));
    this.events.on('order.paid', (e) => {
      if (e.showId) this.paid.push({ orderId: e.orderId, showId: e.showId, province: e.buyerProvince });
    });
    this.hub.onTick(() => this.resolve());
    this.hub.setHostStatsProvider((showId) => this.reader.hostStats(showId));
  }

  async resolve(): Promise<void> {
    const products = [...this.products];
    const deals = [...this.deals];
    const paid = this.paid;
    this.products = new Set();
    this.deals = new Set();
    this.paid = [];
    for (const r of await this.reader.stockInLiveShows(products))
      this.hub.change(r.show_id, { stock: { [r.product_id]: r.stock } });
    for (const { showId, ...deal } of await this.reader.deals(deals)) this.hub.change(showId, { deal });
    if (paid.length) {
      const lines: { order_id: string; quantity: number; unit: ProductUnit }[] = await this.db.query(
        `SELECT l.order_id, sum(l.quantity)::int AS quantity, min(l.unit) AS unit FROM order_lines l WHERE l.order_id = ANY($1::uuid[]) GROUP BY l.order_id`,
        [paid.map((p) => p.orderId)],
      );
      for (const p of paid) {
        const l = lines.find((x) => x.order_id === p.orderId);
        if (!l) continue;
        const at = new Date().toISOString();
        const label = PRODUCT_UNIT_LABELS_ZH[l.unit] ?? l.unit;
        this.hub.change(p.showId, {
          tickers: [
            {
              province: shortProvince(p.province),
              quantity: l.quantity,
              unit: l.unit,
              text: tickerText(p.province, l.quantity, label),
              at,
            },
          ],
        });
      }
      // 本场助农: the show's counter moves with each payment (one computation per show and tick).
      for (const showId of new Set(paid.map((p) => p.showId)))
        this.hub.change(showId, { impact: await this.impact.of(showId, true) });
    }
  }
}
