import { accountCode, verifyExport } from '@xiangbo/domain';
import { OrderPaymentEffects } from '../orders/payment-effects.service';
import { demoFeeFen, demoRef } from '../payments/demo.provider';
import { createTestApp, TestApp } from '../../test/test-app';
import { LedgerService } from './ledger.service';
import { orderFeeShare } from './order-fee';
import { bearer, exportLedger, placeAndPay, scenario, settle } from './testing/ledger-fixtures';

/**
 * The processing fee the provider keeps on an order refunded in full before settlement (docs/ledger.md,
 * `refund_fee`), through the real refund path: the console's refunds, the provider's refund notice delivered again,
 * a fee told only after the refund (booked by the next settlement run), the export verified.
 */
describe('fees of orders refunded in full before settlement', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const refund = (orderId: string, token: string, amountFen: number) =>
    t.http
      .post(`/api/console/orders/${orderId}/refunds`)
      .set(bearer(token))
      .send({ reason: '买家取消', amountFen })
      .expect(201);
  const entriesOf = async (orderId: string) =>
    (
      await t.db.query(`SELECT kind, idempotency_key FROM ledger_transactions WHERE order_id = $1 ORDER BY seq`, [
        orderId,
      ])
    ).map((r: { kind: string }) => r.kind);

  it('booked once, as the platform’s, when the last part is refunded; a refund notice delivered twice books nothing more', async () => {
    const s = await scenario(t);
    const a = await placeAndPay(t, s.productId, 1); // ¥59.00, demo fee ⌊5900 × 0.6 %⌋ = 35
    await refund(a.orderId, s.admin.token, 900);
    expect(await entriesOf(a.orderId)).toEqual(['payment', 'refund']); // partly refunded: its settlement will carry the fee
    await refund(a.orderId, s.admin.token, 5000);
    expect(await entriesOf(a.orderId)).toEqual(['payment', 'refund', 'refund', 'refund_fee']);
    const ledger = t.app.get(LedgerService);
    const fee = await ledger.findByKey(undefined, `refund-fee:order:${a.orderId}`);
    expect(fee).toMatchObject({ kind: 'refund_fee', reference: { orderId: a.orderId, feeFen: demoFeeFen(5900) } });
    expect(fee?.postings).toEqual([
      { account: accountCode.refundedOrderFees(), amount: 35, currency: 'CNY' },
      { account: accountCode.paymentFees(), amount: -35, currency: 'CNY' },
    ]);

    // the provider's "charge refunded" notice, delivered twice: each delivery in its own transaction
    const effects = t.app.get(OrderPaymentEffects, { strict: false });
    const state = {
      providerRef: demoRef(a.paymentId),
      status: 'succeeded' as const,
      amountFen: 5900,
      currency: 'CNY',
      feeFen: 35,
      chargeRef: null,
      refundedFen: 5900,
      failureMessage: null,
    };
    for (let i = 0; i < 2; i++) await t.db.transaction((m) => effects.chargeRefunded(m, state));
    const [refundRow] = await t.db.query(`SELECT id FROM refunds WHERE order_id = $1 LIMIT 1`, [a.orderId]);
    await t.db.transaction((m) => effects.completeRefund(m, refundRow.id));
    expect(await entriesOf(a.orderId)).toEqual(['payment', 'refund', 'refund', 'refund_fee']);

    // a settlement run leaves it alone (refunded: nothing to settle; its fee is already booked)
    await settle(t, s);
    expect(await entriesOf(a.orderId)).toEqual(['payment', 'refund', 'refund', 'refund_fee']);

    // the cooperative carries nothing of it: its public processing fees and the buyer's receipt leave it out
    const pub = await t.http.get(`/api/cooperatives/${s.coopId}/transparency`).expect(200);
    const months = pub.body.months as { processingFeesFen: number; refundsFen: number }[];
    expect(months.reduce((x, m) => x + m.processingFeesFen, 0)).toBe(0);
    expect(months.reduce((x, m) => x + m.refundsFen, 0)).toBe(5900);
    const receipt = (await t.http.get(`/api/orders/${a.orderId}/impact`).set(bearer(a.buyer.token)).expect(200)).body;
    expect(receipt).toMatchObject({ refundedFen: 5900, pendingFen: 0, destinations: { processingFeeFen: 0 } });

    const text = await exportLedger(t, s.coopId, s.admin.token);
    const r = verifyExport(text.split('\n'));
    expect(r.breaks).toEqual([]);
    expect(r.balances[accountCode.refundedOrderFees()]).toBe(35);
    expect(r.balances[accountCode.clearing(s.coopId)] ?? 0).toBe(0);
  });

  it('a fee the provider tells only after the refund is booked by the next settlement run, once', async () => {
    const s = await scenario(t);
    const b = await placeAndPay(t, s.productId, 2); // ¥118.00
    // the provider has not told the fee yet (Stripe's balance transaction can come later)
    await t.db.query(`UPDATE payments SET fee_fen = NULL WHERE id = $1`, [b.paymentId]);
    await refund(b.orderId, s.admin.token, 11800);
    expect(await entriesOf(b.orderId)).toEqual(['payment', 'refund']);

    // now it tells it: the same "payment succeeded" notice again, with the fee (the real path)
    const effects = t.app.get(OrderPaymentEffects, { strict: false });
    await t.db.transaction((m) =>
      effects.paymentSucceeded(m, {
        providerRef: demoRef(b.paymentId),
        status: 'succeeded',
        amountFen: 11800,
        currency: 'CNY',
        feeFen: 70,
        chargeRef: null,
        refundedFen: 11800,
        failureMessage: null,
      }),
    );
    await settle(t, s);
    await settle(t, s);
    expect(await entriesOf(b.orderId)).toEqual(['payment', 'refund', 'refund_fee']);
    const fee = await t.app.get(LedgerService).findByKey(undefined, `refund-fee:order:${b.orderId}`);
    expect(fee?.reference).toEqual({ orderId: b.orderId, feeFen: 70 });
    const text = await exportLedger(t, s.coopId, s.admin.token);
    expect(verifyExport(text.split('\n')).breaks).toEqual([]);
  });

  it('an order refunded in part, then settled, carries its fee in the settlement, not as refund_fee', async () => {
    const s = await scenario(t);
    const c = await placeAndPay(t, s.productId, 1);
    await refund(c.orderId, s.admin.token, 1000);
    await t.http
      .post(`/api/console/orders/${c.orderId}/ship`)
      .set(bearer(s.admin.token))
      .send({ carrier: '顺丰', trackingNumber: 'SF1234567890' })
      .expect(200);
    await t.http.post(`/api/orders/${c.orderId}/confirm-receipt`).set(bearer(c.buyer.token)).expect(200);
    await settle(t, s);
    // refunded in full after settlement: a reversal; the settlement carried the fee, no refund_fee
    await refund(c.orderId, s.admin.token, 4900);
    expect(await entriesOf(c.orderId)).toEqual(['payment', 'refund', 'settlement', 'reversal']);
    const text = await exportLedger(t, s.coopId, s.admin.token);
    expect(verifyExport(text.split('\n')).breaks).toEqual([]);
  });

  it("an order's part of a payment that paid several orders: the payment's fee over every line, by amount (as its settlement takes it)", async () => {
    const s = await scenario(t);
    const a = await placeAndPay(t, s.productId, 1); // 5900
    const b = await placeAndPay(t, s.productId, 2); // 11800
    // one payment for both (a cart paid at once): its fee 100 over the lines 5900 and 11800
    await t.db.query(`UPDATE orders SET payment_id = $1 WHERE id = $2`, [a.paymentId, b.orderId]);
    await t.db.query(`UPDATE payments SET fee_fen = 100, amount_fen = 17700 WHERE id = $1`, [a.paymentId]);
    const shares = await Promise.all([a.orderId, b.orderId].map((id) => orderFeeShare(t.db.manager, id)));
    // 33.33 and 66.67: floors 33 + 66, the fen left over to the larger remainder
    expect(shares).toEqual([33, 67]);
    await t.db.query(`UPDATE payments SET fee_fen = NULL WHERE id = $1`, [a.paymentId]);
    expect(await orderFeeShare(t.db.manager, a.orderId)).toBeNull();

    await t.db.query(`UPDATE payments SET fee_fen = 100 WHERE id = $1`, [a.paymentId]);
    await refund(a.orderId, s.admin.token, 5900);
    const fee = await t.app.get(LedgerService).findByKey(undefined, `refund-fee:order:${a.orderId}`);
    expect(fee?.reference).toEqual({ orderId: a.orderId, feeFen: 33 });
  });
});
