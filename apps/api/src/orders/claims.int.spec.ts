import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TEST_ADDRESS,
  TestApp,
} from '../../test/test-app';
import { secondApp } from '../live/live.test-helpers';
import { ClaimsService } from './claims.service';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The ordinary checkout of one product goes through the batched claims; one line per product. */
describe('checkout of a hot product, decided in batches (real app, real PostgreSQL)', () => {
  let t: TestApp;
  let coopId: string;
  beforeAll(async () => {
    t = await createTestApp();
    coopId = (await insertCooperative(t)).id;
  });
  afterAll(() => t.close());

  it('300 buyers at once for 120 units: decided in far fewer transactions than buyers, exactly 120 reserved', async () => {
    const product = await insertProduct(t, coopId, { stock: 120 });
    const buyers = await fastBuyers(t, 300);
    const claims = t.app.get(ClaimsService);
    const before = { ...claims.stats };
    const results = await Promise.all(
      buyers.map((b) =>
        t.http
          .post('/api/orders')
          .set(bearer(b.token))
          .send({ items: [{ productId: product.id, quantity: 1 }], address: TEST_ADDRESS }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(120);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SOLD_OUT')).toBe(true);
    const batches = claims.stats.batches - before.batches;
    const decided = claims.stats.claims - before.claims + (claims.stats.fromMemory - before.fromMemory);
    expect(decided).toBe(300);
    expect(batches).toBeLessThan(120); // several buyers per transaction
    const [row] = await t.db.query(
      `SELECT p.stock, (SELECT COALESCE(sum(quantity), 0)::int FROM reservations WHERE product_id = p.id AND status = 'held') AS held,
              (SELECT count(*)::int FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.product_id = p.id) AS orders
         FROM products p WHERE p.id = $1`,
      [product.id],
    );
    expect(row).toEqual({ stock: 0, held: 120, orders: 120 });
    // what the buyer was told is what the database holds
    const created = results.find((r) => r.status === 201)?.body;
    const again = await t.http
      .get(`/api/orders/${created.id}`)
      .set(bearer(buyers[results.indexOf(results.find((r) => r.status === 201) as never)].token));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: created.id,
      number: created.number,
      totalFen: created.totalFen,
      lines: created.lines,
      createdAt: created.createdAt,
      expiresAt: created.expiresAt,
    });
  });

  it('repeating a product over several lines does not dodge the 999 cap: the lines count together', async () => {
    const product = await insertProduct(t, coopId, { stock: 5000 });
    const [buyer] = await fastBuyers(t, 1);
    const over = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: product.id, quantity: 600 },
          { productId: product.id, quantity: 600 },
        ],
        address: TEST_ADDRESS,
      });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'TOO_MANY_UNITS', details: { productId: product.id, limit: 999 } });
    const ok = await t.http
      .post('/api/orders')
      .set(bearer(buyer.token))
      .send({
        items: [
          { productId: product.id, quantity: 500 },
          { productId: product.id, quantity: 499 },
        ],
        address: TEST_ADDRESS,
      });
    expect(ok.status).toBe(201);
    expect(ok.body.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 999 })]); // one line
    const [{ stock }] = await t.db.query('SELECT stock FROM products WHERE id = $1', [product.id]);
    expect(stock).toBe(5000 - 999);
  });
});

/**
 * Two API processes over Redis: once one process's batch finds a product gone, the other answers SOLD_OUT from
 * memory too (no transaction); when units come back in one, the other forgets it at once. The memory is made long
 * here (ORDERS_SOLD_OUT_MEMORY_MS) so that only the news, never the clock, can clear it.
 */
describe('sold-out news between processes (real PostgreSQL, real Redis)', () => {
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let a: TestApp;
  let b: Awaited<ReturnType<typeof secondApp>>;
  const before = process.env.ORDERS_SOLD_OUT_MEMORY_MS;
  beforeAll(async () => {
    process.env.ORDERS_SOLD_OUT_MEMORY_MS = '60000';
    a = await createTestApp({ REDIS_URL });
    b = await secondApp(a.databaseUrl, { REDIS_URL });
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.ORDERS_SOLD_OUT_MEMORY_MS;
    else process.env.ORDERS_SOLD_OUT_MEMORY_MS = before;
    await a.close();
    await b.close();
  });

  const until = async (what: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    return what();
  };

  it('B learns from A that the product is gone, and that it is back after A released units', async () => {
    const coop = await insertCooperative(a);
    const product = await insertProduct(a, coop.id, { stock: 2 });
    const buyers = await fastBuyers(a, 3);
    const claimsA = a.app.get(ClaimsService);
    const claimsB = b.app.get(ClaimsService);
    expect(claimsB.knownSoldOut({ productId: product.id })).toBe(false);
    const results = await Promise.all(
      buyers.map((u) =>
        a.http
          .post('/api/orders')
          .set(bearer(u.token))
          .send({ items: [{ productId: product.id, quantity: 1 }], address: TEST_ADDRESS }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409]);
    expect(claimsA.knownSoldOut({ productId: product.id })).toBe(true);
    expect(await until(() => claimsB.knownSoldOut({ productId: product.id }))).toBe(true);
    const batchesB = claimsB.stats.batches;
    await expect(
      b.app
        .get(ClaimsService)
        .claim({ buyerId: buyers[2].id, productId: product.id, quantity: 1, address: TEST_ADDRESS }),
    ).rejects.toMatchObject({ code: 'SOLD_OUT' });
    expect(claimsB.stats.batches).toBe(batchesB); // answered from memory, no transaction on B

    // A buyer on A cancels: the unit is back, A forgets, and tells B
    const won = results.find((r) => r.status === 201)?.body as { id: string };
    const winner = buyers[results.findIndex((r) => r.status === 201)];
    await a.http.post(`/api/orders/${won.id}/cancel`).set(bearer(winner.token)).expect(200);
    expect(await until(() => !claimsB.knownSoldOut({ productId: product.id }))).toBe(true);
    const placed = await b.app
      .get(ClaimsService)
      .claim({ buyerId: buyers[2].id, productId: product.id, quantity: 1, address: TEST_ADDRESS });
    expect(placed.order.status).toBe('pending_payment');
  });
});
