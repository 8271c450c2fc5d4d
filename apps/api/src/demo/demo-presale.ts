import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The demo's pre-sale (预售): next season's 山丹马铃薯, ¥10.00 deposit + ¥29.90 balance a case, shipped 20 Sep – 10 Oct
 * 2027, the households promised 360 cases at a guaranteed ¥25.00 a case (保底收购). Opened by one of the
 * cooperative's admins.
 */
export const DEMO_PRESALE = {
  productNameZh: '山丹马铃薯 10 斤装',
  depositFen: 1000,
  balanceFen: 2990,
  guaranteedFen: 2500,
  shipFrom: '2027-09-20',
  shipTo: '2027-10-10',
  balanceDays: 7,
  promises: { 马福林: 120, 何玉珍: 80, 田志刚: 100, 高建国: 60 } as Record<string, number>,
};

/** Opens the demo pre-sale with its households' promises if the product has none (a change in the console is kept). */
export async function seedDemoPresale(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  await db.transaction(async (m) => {
    const [p]: { id: string; cooperative_id: string; admin: string | null }[] = await m.query(
      `SELECT p.id, p.cooperative_id,
              (SELECT user_id FROM role_assignments WHERE cooperative_id = p.cooperative_id AND role = 'coop_admin'
                ORDER BY created_at LIMIT 1) AS admin
         FROM products p WHERE p.name_zh = $1 ORDER BY p.created_at LIMIT 1 FOR UPDATE`,
      [DEMO_PRESALE.productNameZh],
    );
    if (!p?.admin) return;
    const [existing] = await m.query(`SELECT 1 FROM presales WHERE product_id = $1`, [p.id]);
    if (existing) return;
    const names = Object.keys(DEMO_PRESALE.promises);
    const households: { id: string; head_name: string }[] = await m.query(
      `SELECT h.id, h.head_name FROM households h JOIN memberships ms ON ms.household_id = h.id
        WHERE ms.cooperative_id = $1 AND h.head_name = ANY($2::text[])`,
      [p.cooperative_id, names],
    );
    if (!households.length) return;
    const cap = households.reduce((s, h) => s + DEMO_PRESALE.promises[h.head_name], 0);
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO presales (product_id, cooperative_id, deposit_fen, balance_fen, guaranteed_fen, ship_from, ship_to,
                             balance_days, cap, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        p.id,
        p.cooperative_id,
        DEMO_PRESALE.depositFen,
        DEMO_PRESALE.balanceFen,
        DEMO_PRESALE.guaranteedFen,
        DEMO_PRESALE.shipFrom,
        DEMO_PRESALE.shipTo,
        DEMO_PRESALE.balanceDays,
        cap,
        p.admin,
      ],
    );
    for (const h of households)
      await m.query(`INSERT INTO presale_promises (presale_id, household_id, quantity) VALUES ($1, $2, $3)`, [
        row.id,
        h.id,
        DEMO_PRESALE.promises[h.head_name],
      ]);
  });
}
