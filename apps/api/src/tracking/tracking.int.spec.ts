import type { OrderDetailDto } from '@xiangbo/contracts';
import { standIn } from '../sms/sms-stand-in.testing';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { LifecycleService } from '../orders/lifecycle.service';
import { TrackingService } from './tracking.service';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A paid order of a new buyer, shipped by the cooperative with 顺丰. */
async function shippedOrder(t: TestApp) {
  const coop = await insertCooperative(t);
  const product = await insertProduct(t, coop.id, { name_zh: '柞水黑木耳', stock: 50 });
  const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
  const buyer = await registerUser(t, '王小明');
  const placed = await t.http
    .post('/api/orders')
    .set(bearer(buyer.token))
    .send({ items: [{ productId: product.id, quantity: 1 }], address: TEST_ADDRESS })
    .expect(201);
  await t.http
    .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
    .set(bearer(buyer.token))
    .expect(200);
  await t.http
    .post(`/api/console/orders/${placed.body.id}/ship`)
    .set(bearer(admin.token))
    .send({ carrier: '顺丰速运', trackingNumber: 'SF1234567890' })
    .expect((r) => expect(r.status).toBeLessThan(300));
  return { orderId: placed.body.id as string, buyer, admin };
}

describe('parcel tracking with the demo carrier (real app, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGISTICS_PROVIDER: 'demo', DEMO_PARCEL_STEP_MINUTES: '60' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the order shows its parcel’s steps as they happen; signed for → delivered, and the buyer’s window starts then', async () => {
    const { orderId, buyer } = await shippedOrder(t);
    const read = async () =>
      (await t.http.get(`/api/orders/${orderId}`).set(bearer(buyer.token)).expect(200)).body as OrderDetailDto;

    // just shipped: collected (the cooperative handed the parcel over)
    expect((await read()).tracking.map((e) => e.status)).toEqual(['collected']);

    // 2½ steps later: 揽收, 运输中, 派送中 (the service is asked as if hours had passed)
    const tracking = t.app.get(TrackingService);
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    expect(await tracking.refresh(orderId, later(150))).toBe(2);
    const onItsWay = await read();
    expect(onItsWay.tracking.map((e) => e.status)).toEqual(['collected', 'in_transit', 'delivering']);
    expect(onItsWay.tracking[0].text).toMatch(/顺丰速运 已揽收/);
    expect(onItsWay.tracking[2].text).toMatch(/杭州市/);
    expect(onItsWay.status).toBe('shipped');

    // signed for: the order is delivered by the carrier, once, and asking again records nothing twice
    expect(await tracking.refresh(orderId, later(240))).toBe(1);
    expect(await tracking.refresh(orderId, later(300))).toBe(0);
    const delivered = await read();
    expect(delivered.status).toBe('delivered');
    expect(delivered.tracking.map((e) => e.status)).toEqual(['collected', 'in_transit', 'delivering', 'delivered']);
    const events: { actor_kind: string; to_status: string }[] = await t.db.query(
      `SELECT actor_kind, to_status FROM order_events WHERE order_id = $1 AND to_status = 'delivered'`,
      [orderId],
    );
    expect(events).toEqual([{ actor_kind: 'system', to_status: 'delivered' }]);

    // the buyer's window runs from delivery: shipped 11 days ago but delivered 1 day ago → not completed yet
    await t.db.query(
      `UPDATE orders SET shipped_at = now() - interval '11 days', delivered_at = now() - interval '1 day' WHERE id = $1`,
      [orderId],
    );
    const lifecycle = t.app.get(LifecycleService);
    await lifecycle.autoComplete();
    expect((await read()).status).toBe('delivered');
    await lifecycle.autoComplete(new Date(Date.now() + 10 * 86400_000));
    expect((await read()).status).toBe('completed');
  });

  it('another buyer cannot read the order or its parcel; the poller asks about due parcels only', async () => {
    const { orderId } = await shippedOrder(t);
    const stranger = await registerUser(t, '李四');
    await t.http.get(`/api/orders/${orderId}`).set(bearer(stranger.token)).expect(404);
    await t.http.get(`/api/orders/${orderId}`).expect(401);
    const tracking = t.app.get(TrackingService);
    expect(await tracking.pollDue(new Date(Date.now() + 90 * 60_000))).toBeGreaterThanOrEqual(1);
    const [{ n }]: { n: number }[] = await t.db.query(
      'SELECT count(*)::int AS n FROM parcel_events WHERE order_id = $1',
      [orderId],
    );
    expect(n).toBe(2);
    // asked then: not due again until PARCEL_POLL_MINUTES have passed
    const spy = jest.spyOn(tracking, 'refresh');
    await tracking.pollDue(new Date(Date.now() + 100 * 60_000));
    expect(spy.mock.calls.map(([id]) => id)).not.toContain(orderId);
    spy.mockRestore();
  });
});

describe('parcel tracking with Kuaidi100 (real app, offline stand-in)', () => {
  it('the poller asks Kuaidi100, keeps the steps, and a failing answer is noted and asked again later', async () => {
    let fail = true;
    const s = await standIn(() =>
      fail
        ? { status: 200, json: { result: false, returnCode: '503', message: '服务繁忙' } }
        : {
            status: 200,
            json: {
              message: 'ok',
              state: '0',
              data: [
                { time: '2026-12-06 20:12:00', context: '快件到达【杭州转运中心】', status: '在途', statusCode: '0' },
                { time: '2026-12-05 10:15:00', context: '顺丰速运 已收取快件', status: '揽收', statusCode: '1' },
              ],
            },
          },
    );
    const t = await createTestApp({
      LOGISTICS_PROVIDER: 'kuaidi100',
      KUAIDI100_CUSTOMER: 'C1',
      KUAIDI100_KEY: 'K1',
      KUAIDI100_ENDPOINT: s.url,
    });
    try {
      const { orderId, buyer } = await shippedOrder(t);
      const tracking = t.app.get(TrackingService);
      // reading the order does not call a remote carrier (only the poller does)
      await t.http.get(`/api/orders/${orderId}`).set(bearer(buyer.token)).expect(200);
      expect(s.received).toHaveLength(0);

      expect(await tracking.pollDue()).toBe(1);
      const [noted]: { last_error: string }[] = await t.db.query(
        'SELECT last_error FROM parcel_trackings WHERE order_id = $1',
        [orderId],
      );
      expect(noted.last_error).toMatch(/503/);

      fail = false;
      await t.db.query(`UPDATE parcel_trackings SET polled_at = now() - interval '1 day' WHERE order_id = $1`, [
        orderId,
      ]);
      expect(await tracking.pollDue()).toBe(1);
      const body = (await t.http.get(`/api/orders/${orderId}`).set(bearer(buyer.token)).expect(200))
        .body as OrderDetailDto;
      expect(body.tracking).toEqual([
        { at: '2026-12-05T02:15:00.000Z', status: 'collected', text: '顺丰速运 已收取快件' },
        { at: '2026-12-06T12:12:00.000Z', status: 'in_transit', text: '快件到达【杭州转运中心】' },
      ]);
      expect(body.status).toBe('shipped');
    } finally {
      await t.close();
      await s.close();
    }
  });
});
