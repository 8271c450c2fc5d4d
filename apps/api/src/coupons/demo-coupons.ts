import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The demo cooperative whose upcoming show carries it (the live demo's, live/live-demo.ts). */
const DEMO_COOP = '柞水县金米村木耳专业合作社';

/** The demo's live coupon: ¥5 off orders of ¥50, 100 of them, one per viewer, valid for the show. */
export const DEMO_COUPON = { amountOffFen: 500, minSpendFen: 5000, quantity: 100, perViewerLimit: 1 } as const;

/**
 * Gives the demo cooperative's next scheduled show a coupon ready in its room (the host dropped it ahead; viewers
 * claim it once the show is live), if that show has none yet. Idempotent; after the live demo (live/live-demo.ts).
 */
export async function seedDemoCoupons(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  await db.query(
    `INSERT INTO coupons (show_id, cooperative_id, amount_off_fen, min_spend_fen, quantity, per_viewer_limit, validity, created_by)
     SELECT s.id, s.cooperative_id, $1, $2, $3, $4, 'show', s.host_id
       FROM shows s JOIN cooperatives co ON co.id = s.cooperative_id
      WHERE co.name = $5 AND s.status IN ('scheduled', 'live')
        AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.cooperative_id = s.cooperative_id)
      ORDER BY s.scheduled_at LIMIT 1`,
    [DEMO_COUPON.amountOffFen, DEMO_COUPON.minSpendFen, DEMO_COUPON.quantity, DEMO_COUPON.perViewerLimit, DEMO_COOP],
  );
}
