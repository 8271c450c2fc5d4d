import { INestApplication } from '@nestjs/common';
import { maskName } from '@xiangbo/domain';
import { DataSource } from 'typeorm';

/**
 * The demo's promises and one 客服 conversation: 金米村 promises 7天无理由, 坏果包赔 and 48小时发货, 老坞村 坏果包赔
 * (its mushrooms travel badly); the demo buyer asked 金米村 about its 木耳 and was answered (the admin's inbox is
 * not empty). Set once: a change made in the console, or a conversation that exists, is kept.
 */
export async function seedDemoAfterSalesAndMessages(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  await db.transaction(async (m) => {
    const coops: { id: string; name: string }[] = await m.query(
      `SELECT id, name FROM cooperatives WHERE name IN ('柞水县金米村木耳专业合作社', '秦峰镇老坞村菌菇专业合作社')`,
    );
    const jinmi = coops.find((c) => c.name.includes('金米村'));
    const laowu = coops.find((c) => c.name.includes('老坞村'));
    if (jinmi)
      await m.query(
        `INSERT INTO cooperative_promises (cooperative_id, seven_day_return, bad_fruit_cover, ship_within_48h)
         VALUES ($1, true, true, true) ON CONFLICT (cooperative_id) DO NOTHING`,
        [jinmi.id],
      );
    if (laowu)
      await m.query(
        `INSERT INTO cooperative_promises (cooperative_id, bad_fruit_cover) VALUES ($1, true) ON CONFLICT (cooperative_id) DO NOTHING`,
        [laowu.id],
      );
    if (!jinmi) return;
    const [buyer]: { id: string; display_name: string }[] = await m.query(
      `SELECT id, display_name FROM users WHERE email = 'buyer@xiangbo.demo'`,
    );
    const [admin]: { user_id: string }[] = await m.query(
      `SELECT user_id FROM role_assignments WHERE cooperative_id = $1 AND role = 'coop_admin' ORDER BY created_at LIMIT 1`,
      [jinmi.id],
    );
    const [product]: { id: string }[] = await m.query(
      `SELECT id FROM products WHERE cooperative_id = $1 AND published ORDER BY created_at LIMIT 1`,
      [jinmi.id],
    );
    if (!buyer || !admin || !product) return;
    const [conv]: { id: string }[] = await m.query(
      `INSERT INTO conversations (cooperative_id, buyer_id, buyer_masked, subject_kind, subject_id, buyer_unread, staff_read_at, buyer_read_at, last_message_at)
       VALUES ($1, $2, $4, 'product', $3, 1, now() - interval '50 minutes', now() - interval '55 minutes', now() - interval '50 minutes')
       ON CONFLICT ON CONSTRAINT conversations_one_per_buyer DO NOTHING RETURNING id`,
      [jinmi.id, buyer.id, product.id, maskName(buyer.display_name)],
    );
    if (!conv) return;
    await m.query(
      `INSERT INTO conversation_messages (conversation_id, sender_side, sender_id, kind, text, ref_id, created_at) VALUES
         ($1, 'buyer', $2, 'product', '', $4, now() - interval '1 hour'),
         ($1, 'buyer', $2, 'text', '请问木耳泡发后大概能涨多少？一盒够几个人吃？', NULL, now() - interval '59 minutes'),
         ($1, 'staff', $3, 'text', '您好！250 克干木耳泡发后约 2.5 斤，一家三口能吃四五顿。凉拌、炒肉都好吃。', NULL, now() - interval '50 minutes')`,
      [conv.id, buyer.id, admin.user_id, product.id],
    );
  });
}
