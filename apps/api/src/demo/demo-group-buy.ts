import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The demo's group-buy product: 黄平高山土鸡蛋, ¥49 a box when 3 buyers pay within 24 hours (¥69 alone). */
export const DEMO_GROUP_BUY = { nameZh: '黄平高山土鸡蛋 30 枚', size: 3, groupPriceFen: 4900, windowHours: 24 };

/**
 * Gives the demo product its group offer, set by one of its cooperative's admins, if it has none yet (a change
 * the cooperative made in the console is kept). Idempotent.
 */
export async function seedDemoGroupBuy(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  await db.query(
    `INSERT INTO group_buy_offers (product_id, cooperative_id, size, group_price_fen, window_hours, active, updated_by)
     SELECT p.id, p.cooperative_id, $2, $3, $4, true, r.user_id
       FROM products p
       JOIN LATERAL (SELECT user_id FROM role_assignments
                      WHERE cooperative_id = p.cooperative_id AND role = 'coop_admin' ORDER BY created_at LIMIT 1) r ON true
      WHERE p.name_zh = $1 AND p.price_fen > $3
     ON CONFLICT (product_id) DO NOTHING`,
    [DEMO_GROUP_BUY.nameZh, DEMO_GROUP_BUY.size, DEMO_GROUP_BUY.groupPriceFen, DEMO_GROUP_BUY.windowHours],
  );
}
