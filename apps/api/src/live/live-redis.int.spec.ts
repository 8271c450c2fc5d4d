import type { DealState } from '@xiangbo/contracts';
import { createTestApp, fastBuyers, TestApp } from '../../test/test-app';
import {
  ask,
  connected,
  giveAddresses,
  joined,
  liveClient,
  liveShowFixture,
  listen,
  nextEvent,
  secondApp,
  sleep,
  type LiveClient,
} from './live.test-helpers';

/**
 * Scale-out: two API processes (two Nest apps, two ports) sharing one PostgreSQL database and one Redis, the
 * rooms joined by the socket.io Redis adapter. REDIS_URL is set in CI; on a developer machine the local Redis.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('live rooms on two processes over Redis', () => {
  let a: TestApp;
  let portA: number;
  let b: Awaited<ReturnType<typeof secondApp>>;
  let aClosed = false;
  const open: LiveClient[] = [];

  beforeAll(async () => {
    a = await createTestApp({ REDIS_URL });
    portA = await listen(a);
    b = await secondApp(a.databaseUrl, { REDIS_URL });
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    if (!aClosed) await a.close();
    await b.close();
  });

  it('a pin on process B reaches viewers on process A; viewer counts add up over both', async () => {
    const { show, product, host } = await liveShowFixture(a);
    const hostOnB = (await joined(b.port, show.id, { token: host.token })).s;
    const named = (await joined(portA, show.id)).s;
    const patched = (await joined(portA, show.id, { patches: true })).s;
    const onB = (await joined(b.port, show.id)).s;
    open.push(hostOnB, named, patched, onB);

    const countA = nextEvent(named, 'viewers:count', (p) => p.count === 4, 5000);
    const countB = nextEvent(onB, 'viewers:count', (p) => p.count === 4, 5000);
    const pin = nextEvent(named, 'pin:changed', (p) => p.pin?.productId === product.id);
    const patch = nextEvent(patched, 'show:patch', (p) => p.pin?.productId === product.id);
    const chat = nextEvent(named, 'chat:message', (m) => m.text === '来自 B 的问候');
    expect(await ask(hostOnB, 'pin:set', { productId: product.id })).toMatchObject({ ok: true });
    expect(await ask(hostOnB, 'chat:send', { text: '来自 B 的问候' })).toMatchObject({ ok: true });
    expect((await pin).pin).toMatchObject({ productId: product.id, stock: 1000 });
    expect((await patch).pin?.productId).toBe(product.id);
    await chat;

    // 2 sockets on A + 2 on B = 4, seen from both processes (per-process counts summed in Redis)
    await countA;
    await countB;
  });

  it('closing process A in the middle of a flash deal loses no reservation and oversells nothing; clients reconnect to B', async () => {
    const { show, product, host } = await liveShowFixture(a, { stock: 1000 });
    const hostOnB = (await joined(b.port, show.id, { token: host.token })).s;
    open.push(hostOnB);
    await ask(hostOnB, 'pin:set', { productId: product.id });
    const launched = await ask(hostOnB, 'deal:launch', {
      productId: product.id,
      priceFen: 2900,
      quantity: 100,
      perBuyerCap: 1,
      durationSeconds: 300,
    });
    const dealId = (launched as unknown as { deal: DealState }).deal.id;

    const buyers = await fastBuyers(a, 300);
    await giveAddresses(
      a,
      buyers.map((x) => x.id),
    );
    // half the buyers on each process
    const sockets = await Promise.all(
      buyers.map((x, i) => connected(liveClient(i % 2 ? b.port : portA, { token: x.token, showId: show.id }))),
    );
    open.push(...sockets);
    const viewerOnA = sockets[0];

    const acks: ({ ok: boolean; code?: string; reservation?: { orderId: string } } | 'lost')[] = new Array(
      sockets.length,
    );
    const buys = sockets.map((s, i) =>
      ask(s, 'deal:buy', { dealId, quantity: 1 })
        .then((r) => (acks[i] = r as never))
        .catch(() => (acks[i] = 'lost')),
    );
    await sleep(40); // mid-deal…
    await a.close(); // …process A goes away (its sockets drop, its in-flight transactions commit or roll back)
    aClosed = true;
    // every buy answers or its socket dropped (then its ack never comes: give up after 25 s)
    const giveUp = new Promise<void>((r) => setTimeout(r, 25_000).unref());
    await Promise.all(buys.map((p) => Promise.race([p, giveUp])));
    for (let i = 0; i < acks.length; i++) acks[i] ??= 'lost';

    const db = b.app.get((await import('typeorm')).DataSource);
    const confirmed = acks.filter((r): r is { ok: true; reservation: { orderId: string } } => r !== 'lost' && r.ok);
    // every reservation a buyer was told about exists
    const orderIds: string[] = (
      await db.query(`SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.deal_id = $1`, [dealId])
    ).map((r: { id: string }) => r.id);
    for (const c of confirmed) expect(orderIds).toContain(c.reservation.orderId);

    // the buyers of A whose answer was lost retry on B (the client reconnects to the survivor)
    const retried = await Promise.all(
      acks.map(async (r, i) => {
        if (r !== 'lost') return r;
        const s = await connected(liveClient(b.port, { token: buyers[i].token }));
        open.push(s);
        return ask(s, 'deal:buy', { dealId, quantity: 1 });
      }),
    );
    const finalOk = retried.filter((r) => r.ok).length;
    const [deal] = await db.query(`SELECT remaining, quantity FROM flash_deals WHERE id = $1`, [dealId]);
    const [held] = await db.query(
      `SELECT COALESCE(sum(quantity), 0)::int AS n, count(DISTINCT o.buyer_id)::int AS buyers FROM reservations r JOIN orders o ON o.id = r.order_id WHERE r.deal_id = $1 AND r.status = 'held'`,
      [dealId],
    );
    const [p] = await db.query(`SELECT stock FROM products WHERE id = $1`, [product.id]);
    expect(held.n).toBe(100); // exactly the deal's quantity: nothing lost, nothing oversold
    expect(held.buyers).toBe(100); // cap 1: nobody got two, even when retrying after a lost answer
    expect(deal.remaining).toBe(0);
    expect(p.stock).toBe(900);
    expect(finalOk).toBeLessThanOrEqual(100);
    expect(
      retried.filter((r) => !r.ok).every((r) => ['SOLD_OUT', 'CAP_REACHED'].includes((r as { code: string }).code)),
    ).toBe(true);

    // a viewer of A reconnects to B and gets the current state: pinned product, the sold-out deal, stock
    const back = await joined(b.port, show.id);
    open.push(back.s);
    expect(back.state.pin).toMatchObject({ productId: product.id, stock: 900 });
    expect(back.state.deal).toMatchObject({ id: dealId, remaining: 0 });
    expect(viewerOnA.connected).toBe(false);
  });
});
