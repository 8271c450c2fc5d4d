import type { NotificationPage } from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { TrackingService } from '../tracking/tracking.service';

/**
 * The notification centre hears of trust events after their commit (real app, real PostgreSQL): a cooperative's
 * answer in 客服 (one entry per conversation, renewed once read, read with the conversation) and the parcel steps a
 * buyer waits for (派送中, 签收), once each. Nobody else is told.
 */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
let n = 0;
const clientId = () => `notif-${Date.now()}-${++n}`;

describe('notifications of 客服 answers and parcel steps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGISTICS_PROVIDER: 'demo', DEMO_PARCEL_STEP_MINUTES: '60' });
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (token: string) =>
    (await t.http.get('/api/notifications').set(bearer(token)).expect(200)).body as NotificationPage;
  /** The listener runs after the commit, outside the request: wait for what it writes. */
  async function eventually(token: string, ok: (p: NotificationPage) => boolean): Promise<NotificationPage> {
    const until = Date.now() + 5000;
    for (;;) {
      const page = await list(token);
      if (ok(page)) return page;
      if (Date.now() > until) return page;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a cooperative’s answer: one entry per conversation, renewed once read, read when the conversation is read', async () => {
    const coop = await insertCooperative(t, { name: '柞水木耳合作社' });
    const product = await insertProduct(t, coop.id, { name_zh: '柞水黑木耳', stock: 5 });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const buyer = await registerUser(t, '王小明');
    const other = await registerUser(t, '李四');
    const conv = (
      await t.http.post('/api/conversations').set(bearer(buyer.token)).send({ productId: product.id }).expect(200)
    ).body as { id: string };
    const say = (token: string, text: string) =>
      t.http
        .post(`/api/conversations/${conv.id}/messages`)
        .set(bearer(token))
        .send({ text, clientId: clientId() })
        .expect(201);

    // The buyer's own message tells nobody.
    await say(buyer.token, '在吗');
    // Two answers: one unread entry, not two.
    await say(admin.token, '在的');
    await say(admin.token, '您想了解哪款？');
    const first = await eventually(buyer.token, (p) => p.unread === 1);
    const entries = first.items.filter((i) => i.kind === 'message_received');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ title: '柞水木耳合作社', link: `/messages/${conv.id}`, readAt: null });
    expect(first.unread).toBe(1);

    // Reading the conversation reads its entry.
    await t.http.post(`/api/conversations/${conv.id}/read`).set(bearer(buyer.token)).expect(204);
    const read = await eventually(buyer.token, (p) => p.unread === 0);
    expect(read.unread).toBe(0);

    // A new answer renews the same entry (unread again, still one).
    await say(admin.token, '木耳今天发货');
    const renewed = await eventually(buyer.token, (p) => p.unread === 1);
    expect(renewed.items.filter((i) => i.kind === 'message_received')).toHaveLength(1);
    expect(renewed.unread).toBe(1);

    // Nobody else hears of it, and the cooperative is not notified of its own answers.
    expect((await list(other.token)).total).toBe(0);
    expect((await list(admin.token)).items.filter((i) => i.kind === 'message_received')).toHaveLength(0);
  });

  it('the parcel’s 派送中 and 签收 reach its buyer once each; in transit is not news', async () => {
    const coop = await insertCooperative(t);
    const product = await insertProduct(t, coop.id, { name_zh: '洛南核桃', stock: 5 });
    const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const buyer = await registerUser(t, '赵六');
    const other = await registerUser(t, '钱七');
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: product.id, quantity: 1 }], address: TEST_ADDRESS })
      .expect(201);
    const orderId = placed.body.id as string;
    await t.http
      .post(`/api/payments/demo/${placed.body.checkout.paymentId}/confirm`)
      .set(bearer(buyer.token))
      .expect(200);
    await t.http
      .post(`/api/console/orders/${orderId}/ship`)
      .set(bearer(admin.token))
      .send({ carrier: '顺丰速运', trackingNumber: 'SF5550001111' })
      .expect((r) => expect(r.status).toBeLessThan(300));

    const tracking = t.app.get(TrackingService);
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    await tracking.refresh(orderId, later(150)); // 运输中, 派送中
    const onItsWay = await eventually(buyer.token, (p) => p.items.some((i) => i.kind === 'parcel_delivering'));
    expect(onItsWay.items.map((i) => i.kind)).toEqual(['parcel_delivering']);
    expect(onItsWay.items[0]).toMatchObject({ title: '洛南核桃', link: `/orders/${orderId}` });

    await tracking.refresh(orderId, later(240)); // 签收
    await tracking.refresh(orderId, later(300)); // nothing new
    const signed = await eventually(buyer.token, (p) => p.items.some((i) => i.kind === 'parcel_delivered'));
    expect(signed.items.map((i) => i.kind).sort()).toEqual(['parcel_delivered', 'parcel_delivering']);
    expect(signed.unread).toBe(2);
    expect((await list(other.token)).total).toBe(0);
  });
});
