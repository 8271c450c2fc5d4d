import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrdersService } from '../orders/orders.service';
import { DemoPaymentsService } from '../payments/demo-payments.service';
import { ShowsService } from './shows.service';

const COOP_NAME = '柞水县金米村木耳专业合作社';
const HOST_EMAIL = 'jinmi.host@xiangbo.demo';
const DEMO_ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

/**
 * Demo data for live shows (SEED_DEMO=true), idempotent, after the demo catalogue: for the 金米村 cooperative,
 * a scheduled show and an ended show with real paid orders, pins, chat and its stored summary; a default
 * address for the demo buyer (a flash-deal buy ships there).
 */
export async function seedLiveDemo(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  const log = new Logger('LiveDemo');

  // Built on the demo catalogue (demo/demo-catalog.ts): its 金米村 cooperative, products and host.
  const [coop] = await db.query(`SELECT id FROM cooperatives WHERE name = $1 AND status = 'approved'`, [COOP_NAME]);
  if (!coop) return;
  const products: { id: string }[] = await db.query(
    `SELECT id FROM products WHERE cooperative_id = $1 AND published ORDER BY created_at LIMIT 3`,
    [coop.id],
  );
  const [host] = await db.query(
    `SELECT u.id FROM users u JOIN role_assignments r ON r.user_id = u.id WHERE r.role = 'host' AND r.cooperative_id = $1 ORDER BY u.email = $2 DESC LIMIT 1`,
    [coop.id, HOST_EMAIL],
  );
  if (!products.length || !host) return;
  const [buyer] = await db.query(`SELECT id FROM users WHERE email = 'buyer@xiangbo.demo'`);
  if (buyer) {
    await db.query(
      `INSERT INTO addresses (user_id, recipient, mobile, province, city, district, detail, is_default)
       SELECT $1, $2, $3, $4, $5, $6, $7, true WHERE NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = $1)`,
      [buyer.id, ...Object.values(DEMO_ADDRESS)],
    );
  }
  const [existing] = await db.query(`SELECT 1 FROM shows WHERE cooperative_id = $1 LIMIT 1`, [coop.id]);
  if (existing) return;
  const ids = products.map((p) => p.id);
  const day = 86400_000;
  const at = (offsetDays: number, hh: number, mm: number) => {
    const d = new Date(Date.now() + offsetDays * day);
    const ymd = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10); // the date in Beijing
    return new Date(`${ymd}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);
  };

  // upcoming
  const [upcoming] = await db.query(
    `INSERT INTO shows (cooperative_id, host_id, title, description, scheduled_at, status) VALUES ($1, $2, $3, $4, $5, 'scheduled') RETURNING id`,
    [
      coop.id,
      host.id,
      '秦岭木耳丰收季 · 金米村直播',
      '主播小李带大家看木耳从段木到餐桌，直播间专享秒杀。',
      at(1, 19, 30),
    ],
  );
  await db.query(
    `INSERT INTO show_products (show_id, product_id, position) SELECT $1, id, ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY t(id, ord)`,
    [upcoming.id, ids],
  );

  // ended, with what happened in it
  const start = at(-1, 19, 30);
  const [ended] = await db.query(
    `INSERT INTO shows (cooperative_id, host_id, title, description, scheduled_at, status, started_at, likes, peak_viewers)
     VALUES ($1, $2, $3, $4, $5, 'live', $5, 1286, 87) RETURNING id`,
    [coop.id, host.id, '金米村春季木耳首发', '新季木耳第一次直播。', start],
  );
  await db.query(
    `INSERT INTO show_products (show_id, product_id, position) SELECT $1, id, ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY t(id, ord)`,
    [ended.id, ids],
  );
  const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
  for (const [i, id] of ids.entries()) {
    await db.query(
      `INSERT INTO pins (show_id, product_id, pinned_by, pinned_at, unpinned_at) VALUES ($1, $2, $3, $4, $5)`,
      [ended.id, id, host.id, minutes(5 + i * 25), minutes(28 + i * 25)],
    );
  }
  await db.query(
    `INSERT INTO show_viewers (show_id, viewer_key, first_seen_at) SELECT $1, 'anon:demo-' || g, $2 FROM generate_series(1, 142) g`,
    [ended.id, start],
  );
  const chat = ['木耳泡发后有多大？', '去年买过，很好吃！', '主播什么时候发货？', '秒杀还有吗', '支持一下金米村'];
  for (const [i, text] of chat.entries()) {
    await db.query(
      `INSERT INTO chat_messages (show_id, user_id, display_name, text, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [ended.id, buyer?.id ?? host.id, buyer ? '买家 陈静' : '主播', text, minutes(6 + i * 7)],
    );
  }
  if (buyer) {
    try {
      const orders = app.get(OrdersService);
      const pay = app.get(DemoPaymentsService);
      for (const [id, quantity] of [
        [ids[0], 2],
        [ids[ids.length - 1], 1],
      ] as [string, number][]) {
        const placed = await orders.place(
          buyer.id,
          { items: [{ productId: id, quantity }], address: DEMO_ADDRESS },
          { showId: ended.id },
        );
        await pay.confirm(buyer.id, placed.checkout.paymentId);
      }
    } catch (e) {
      log.warn({ err: e }, 'demo show orders were not created (payments not in demo mode?)');
    }
  }
  await db.query(`UPDATE shows SET status = 'ended', ended_at = $2 WHERE id = $1`, [ended.id, minutes(58)]);
  await app.get(ShowsService).refreshSummaryIfEnded(ended.id);
}
