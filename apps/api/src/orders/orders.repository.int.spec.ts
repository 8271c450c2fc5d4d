import { randomUUID } from 'node:crypto';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TEST_ADDRESS,
  TestApp,
} from '../../test/test-app';
import { orderNumber } from './claims.service';
import { type ClaimRow, OrdersRepository } from './orders.repository';

/** The orders repository against PostgreSQL (medium tier): the SQL the claims and the host's release rely on. */
describe('OrdersRepository (real PostgreSQL)', () => {
  let t: TestApp;
  let repo: OrdersRepository;
  let coopId: string;
  beforeAll(async () => {
    t = await createTestApp();
    repo = t.app.get(OrdersRepository);
    coopId = (await insertCooperative(t)).id;
  });
  afterAll(() => t.close());

  const stockOf = async (id: string) => (await t.db.query('SELECT stock FROM products WHERE id = $1', [id]))[0].stock;

  it('takeUpTo takes what is wanted or what remains, never below zero; says why it took nothing', async () => {
    const p = await insertProduct(t, coopId, { stock: 5, price_fen: 5900 });
    expect(await t.db.transaction((m) => repo.takeUpTo(m, p.id, 3, 5900))).toEqual({ taken: 3, left: 2 });
    expect(await t.db.transaction((m) => repo.takeUpTo(m, p.id, 10, 5900))).toEqual({ taken: 2, left: 0 });
    expect(await t.db.transaction((m) => repo.takeUpTo(m, p.id, 1, 5900))).toEqual({ taken: 0, reason: 'EMPTY' });
    expect(await stockOf(p.id)).toBe(0);
    await t.db.query('UPDATE products SET stock = 5 WHERE id = $1', [p.id]);
    expect(await t.db.transaction((m) => repo.takeUpTo(m, p.id, 1, 4900))).toEqual({
      taken: 0,
      reason: 'PRICE_CHANGED',
    });
    await t.db.query('UPDATE products SET published = false WHERE id = $1', [p.id]);
    expect(await t.db.transaction((m) => repo.takeUpTo(m, p.id, 1, 5900))).toEqual({ taken: 0, reason: 'UNAVAILABLE' });
    expect(await stockOf(p.id)).toBe(5);
  });

  it('insertClaims writes each winner’s payment, order, line, reservation and event in one statement', async () => {
    const p = await insertProduct(t, coopId, { stock: 10 });
    const buyers = await fastBuyers(t, 3);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 900_000);
    const rows: ClaimRow[] = buyers.map((b, i) => ({
      paymentId: randomUUID(),
      orderId: randomUUID(),
      lineId: randomUUID(),
      number: orderNumber(now),
      buyerId: b.id,
      cooperativeId: coopId,
      productId: p.id,
      productName: '柞水木耳',
      unit: 'box',
      unitPriceFen: 2900,
      quantity: i + 1,
      address: TEST_ADDRESS,
      showId: null,
      offerId: null,
    }));
    await t.db.transaction((m) => repo.insertClaims(m, rows, 'demo', expiresAt, now));
    const written = await t.db.query(
      `SELECT o.id, o.total_fen::int AS total, o.buyer_province, p.amount_fen::int AS paid, l.id AS line_id, l.line_total_fen::int AS line,
              r.quantity AS held, r.status, (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id) AS events
         FROM orders o JOIN payments p ON p.id = o.payment_id JOIN order_lines l ON l.order_id = o.id
         JOIN reservations r ON r.order_id = o.id WHERE o.id = ANY($1::uuid[]) ORDER BY r.quantity`,
      [rows.map((r) => r.orderId)],
    );
    expect(written).toEqual(
      rows.map((r, i) => ({
        id: r.orderId,
        total: 2900 * (i + 1),
        buyer_province: '浙江省',
        paid: 2900 * (i + 1),
        line_id: r.lineId,
        line: 2900 * (i + 1),
        held: i + 1,
        status: 'held',
        events: 1,
      })),
    );
    // units held per buyer, by product
    const held = await t.db.transaction((m) =>
      repo.unitsHeld(
        m,
        buyers.map((b) => b.id),
        { productId: p.id },
      ),
    );
    expect([...held.values()].sort()).toEqual([1, 2, 3]);
    // releasing a held reservation happens once
    const first = await t.db.transaction((m) => repo.releaseHeld(m, rows[1].orderId));
    const again = await t.db.transaction((m) => repo.releaseHeld(m, rows[1].orderId));
    expect(first).toEqual([{ productId: p.id, quantity: 2, offerId: null }]);
    expect(again).toEqual([]);
  });

  it('a failing row writes nothing of the batch (one statement: all or nothing)', async () => {
    const p = await insertProduct(t, coopId, { stock: 10 });
    const [b] = await fastBuyers(t, 1);
    const now = new Date();
    const good = {
      paymentId: randomUUID(),
      orderId: randomUUID(),
      lineId: randomUUID(),
      number: orderNumber(now),
      buyerId: b.id,
      cooperativeId: coopId,
      productId: p.id,
      productName: '柞水木耳',
      unit: 'box',
      unitPriceFen: 2900,
      quantity: 1,
      address: TEST_ADDRESS,
      showId: null,
      offerId: null,
    };
    const bad = { ...good, paymentId: randomUUID(), orderId: randomUUID(), lineId: randomUUID(), quantity: 0 };
    await expect(t.db.transaction((m) => repo.insertClaims(m, [good, bad], 'demo', now, now))).rejects.toThrow();
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])', [
      [good.orderId, bad.orderId],
    ]);
    expect(n).toBe(0);
  });

  it('lockBuyerKeys holds a buyer’s key until the transaction ends: a second batch with that key waits', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const first = t.db.transaction(async (m) => {
      await repo.lockBuyerKeys(m, ['b:x', 'a:x']);
      order.push('first locked');
      await held;
      order.push('first commits');
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = t.db.transaction(async (m) => {
      await repo.lockBuyerKeys(m, ['a:x']);
      order.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first commits', 'second locked']);
  });
});
