import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { LedgerHeadsService } from '../ledger/heads/ledger-heads.service';
import { SettlementService } from '../ledger/settlement.service';
import { LifecycleService } from '../orders/lifecycle.service';
import { OrdersService } from '../orders/orders.service';
import { DemoPaymentsService } from '../payments/demo-payments.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payments/payment-provider';
import { PayoutsService } from '../payouts/payouts.service';

/** Orders of the demo history of 金米村 (each paid; most shipped, received and settled). */
const ORDERS = 30;
/** The cooperative's ledger holds at least this many transactions once the history is made. */
export const DEMO_LEDGER_MIN_TRANSACTIONS = 50;

const ADDRESS = {
  recipient: '陈静',
  mobile: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 100 号',
};

/**
 * A season of money history for 金米村 at first start, made through the real services (not rows written by hand):
 * the demo buyer orders and pays (演示支付), the cooperative ships, the buyer confirms receipt, a settlement run
 * splits the completed orders by the sharing policy and the run's chain head is signed and kept. A few orders stay
 * paid or shipped, so the console has work in every state; then the households are paid out (a batch, each payout
 * recorded as a bank transfer and waiting for the household's confirmation). Idempotent: nothing is done once the
 * cooperative's ledger holds DEMO_LEDGER_MIN_TRANSACTIONS transactions.
 *
 * Not yet: refunds and a dividend.
 */
export async function seedDemoLedger(app: INestApplication): Promise<number> {
  const db = app.get(DataSource);
  const log = new Logger('DemoLedger');
  const [coop]: { id: string }[] = await db.query(`SELECT id FROM cooperatives WHERE village = '金米村' LIMIT 1`);
  if (!coop) return 0;
  const count = async () =>
    (await db.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE cooperative_id = $1', [coop.id]))[0]
      .n as number;
  if ((await count()) >= DEMO_LEDGER_MIN_TRANSACTIONS) return count();
  // The history is paid with 演示支付: a server that takes real payments (production) has none to make it with.
  if (app.get<PaymentProvider>(PAYMENT_PROVIDER).name !== 'demo') {
    log.log('no demo money history: this server takes real payments (演示支付 is off)');
    return count();
  }
  const [buyer]: { id: string }[] = await db.query(`SELECT id FROM users WHERE email = 'buyer@xiangbo.demo'`);
  const [admin]: { id: string }[] = await db.query(`SELECT id FROM users WHERE email = 'jinmi.admin@xiangbo.demo'`);
  if (!buyer || !admin) return count();
  const products: { id: string }[] = await db.query(
    `SELECT id FROM products WHERE cooperative_id = $1 AND published AND stock >= 20 AND per_buyer_limit IS NULL
      ORDER BY created_at, id`,
    [coop.id],
  );
  if (!products.length) return count();

  const orders = app.get(OrdersService);
  const payments = app.get(DemoPaymentsService);
  const lifecycle = app.get(LifecycleService);
  const buyerP = new Principal(buyer.id, [{ role: 'buyer', cooperativeId: null }]);
  const adminP = new Principal(admin.id, [{ role: 'coop_admin', cooperativeId: coop.id }]);
  const made = (await db.query(`SELECT count(*)::int AS n FROM orders WHERE cooperative_id = $1 AND buyer_id = $2`, [
    coop.id,
    buyer.id,
  ])) as { n: number }[];
  for (let i = made[0].n; i < ORDERS; i++) {
    const product = products[i % products.length];
    const placed = await orders.place(buyer.id, {
      items: [{ productId: product.id, quantity: 1 + (i % 3) }],
      address: ADDRESS,
    });
    await payments.confirm(buyer.id, placed.checkout.paymentId);
    if (i % 10 === 9) continue; // paid, waiting to be shipped
    await lifecycle.ship(adminP, placed.id, '顺丰速运', `SF${String(1_000_000_000 + i)}`);
    if (i % 10 === 8) continue; // shipped, on its way
    await lifecycle.confirmReceipt(buyerP, placed.id);
  }
  const settlement = app.get(SettlementService);
  const runId = await settlement.createRun(coop.id, admin.id);
  await settlement.process(runId);
  // the households are paid what they are owed (bank transfers), each payout awaiting the household's confirmation:
  // by the SMS code sent to its registry phone, or in front of the auditor when it has none
  try {
    const payouts = app.get(PayoutsService);
    const batch = await payouts.createBatch(adminP, coop.id, 1);
    const paidOn = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    let n = 0;
    for (const item of batch.items.filter((x) => x.status === 'planned'))
      await payouts.record(adminP, item.id, {
        channel: 'bank',
        reference: `DEMO-BANK-${String(++n).padStart(3, '0')}`,
        paidOn,
      });
  } catch (e) {
    log.warn(`demo payouts of 金米村 not made: ${(e as Error).message}`);
  }
  await app.get(LedgerHeadsService).record(coop.id, 'daily');
  const n = await count();
  log.log(`demo money history of 金米村: ${n} ledger transactions`);
  return n;
}
