import type { ConsoleShow, ShowImpact, ShowPatch } from '@xiangbo/contracts';
import { createTestApp, registerUser, TEST_ADDRESS, TestApp } from '../../test/test-app';
import { insertHousehold, insertLot, scenario } from '../ledger/testing/ledger-fixtures';
import { bearer, joined, listen, sleep } from './live.test-helpers';

/**
 * 本场助农: the room's counter of what a show's paid sales bring registered and monitored households, by the
 * sharing policy in force. DEFAULT_POLICY on a ¥59.00 line: platform fee 3 % → 177, net 5723; purchase 65 % of net
 * → 3719 to the suppliers by quantity; dividend 8 % → 457 to members by share units × status weight.
 */
describe('live impact counter (ShowState.impact, ShowPatch.impact)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    port = await listen(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the paid orders of the show for registered and monitored households only, and updates the room as they are paid', async () => {
    const s = await scenario(t); // suppliers: 王小明 registered 50, 李秀梅 registered 30, 张建国 monitored 20
    // A household that is no longer poor supplies too, and holds shares: its part is not counted.
    const lifted = await insertHousehold(t, '赵富贵', 'lifted', { cooperativeId: s.coopId, shareUnits: 20 });
    await insertLot(t, s.productId, '2025-09-02', { [lifted]: 100 });
    const show = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/shows`)
        .set(bearer(s.admin.token))
        .send({
          title: '助农专场',
          scheduledAt: new Date(Date.now() + 600_000).toISOString(),
          productIds: [s.productId],
        })
        .expect(201)
    ).body as ConsoleShow;
    await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(s.admin.token)).expect(200);

    const { s: socket, state } = await joined(port, show.id, { patches: true });
    expect(state.impact).toEqual({ householdsFen: 0, households: 0, paidFen: 0 });
    const impacts: ShowImpact[] = [];
    socket.on('show:patch', (p: ShowPatch) => p.impact && impacts.push(p.impact));

    // An order of the show (placed in the room), then paid; and an order outside the show, also paid.
    const buyer = await registerUser(t);
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: s.productId, quantity: 1 }], address: TEST_ADDRESS })
      .expect(201);
    await t.db.query('UPDATE orders SET show_id = $1 WHERE id = $2', [show.id, placed.body.id]);
    const outside = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({ items: [{ productId: s.productId, quantity: 2 }], address: TEST_ADDRESS })
      .expect(201);
    for (const p of [placed, outside])
      await t.http.post(`/api/payments/demo/${p.body.checkout.paymentId}/confirm`).set(bearer(buyer.token)).expect(200);

    for (let i = 0; i < 60 && !impacts.length; i++) await sleep(100);
    const last = impacts.at(-1);
    // Purchase 3719 over supplies 50/30/20/100 → 930 + 558 + 372 to the counted three (largest remainder), 1859
    // to the lifted one (not counted); dividend 457 over 10×150, 5×150, 3×120, 20×100 → 149 + 74 + 36 counted,
    // 198 lifted. The order outside the show counts for nothing here.
    expect(last).toEqual({ paidFen: 5900, households: 3, householdsFen: 930 + 558 + 372 + 149 + 74 + 36 });
    // A later join gets the same figure in its state.
    const again = await joined(port, show.id, { patches: true });
    expect(again.state.impact).toEqual(last);
    again.s.disconnect();
    socket.disconnect();
  });

  it('is null for a cooperative without a sharing policy (nothing to promise yet)', async () => {
    const s = await scenario(t, { policy: null });
    const show = (
      await t.http
        .post(`/api/console/cooperatives/${s.coopId}/shows`)
        .set(bearer(s.admin.token))
        .send({
          title: '没有政策',
          scheduledAt: new Date(Date.now() + 600_000).toISOString(),
          productIds: [s.productId],
        })
        .expect(201)
    ).body as ConsoleShow;
    await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(s.admin.token)).expect(200);
    const { s: socket, state } = await joined(port, show.id);
    expect(state.impact).toBeNull();
    socket.disconnect();
  });
});
