import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DealState } from '@xiangbo/contracts';
import { createTestApp, fastBuyers, TestApp } from '../../test/test-app';
import { LifecycleService } from '../orders/lifecycle.service';
import {
  ask,
  connected,
  giveAddresses,
  joined,
  liveClient,
  liveShowFixture,
  listen,
  nextEvent,
  sleep,
  type LiveClient,
} from './live.test-helpers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A second API process of its own (a child we can SIGKILL), on the same database and Redis. */
async function childApi(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, '../../test/api-process.cjs')], {
    // Small batches on B (5 claims per transaction), so that it is still deciding when it is killed.
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, NODE_ENV: 'test', ORDERS_MAX_BATCH: '5' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the child API did not start within 90 s')), 90_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the child API exited (${code})`)));
  });
  return { child, port };
}

type Ack = { ok: boolean; code?: string; reservation?: { orderId: string; paymentId: string } } | 'lost';

/**
 * Claims decided in batches, on two API processes, one of them killed with SIGKILL in the middle of the rush:
 * whatever it was doing (a batch's transaction open, committed but not answered), the database keeps the books
 * exact — reserved + remaining = the deal's quantity, every order with its reservation and vice versa — and its
 * unanswered reservations expire and come back to the deal and to every screen.
 */
describe('a flash-deal rush on two processes, one killed mid-rush (SIGKILL)', () => {
  let a: TestApp;
  let portA: number;
  let b: { child: ChildProcess; port: number } | null = null;
  const open: LiveClient[] = [];

  beforeAll(async () => {
    a = await createTestApp({ REDIS_URL });
    portA = await listen(a);
    b = await childApi(a.databaseUrl);
  }, 120_000);
  afterAll(async () => {
    for (const s of open) s.disconnect();
    if (b?.child.exitCode === null) b.child.kill('SIGKILL');
    await a.close();
  });

  it('1,000 buyers, 300 units: nothing oversold, no order without its reservation, the lost ones expire back', async () => {
    const QUANTITY = 300;
    const { show, product, host } = await liveShowFixture(a, { stock: 1000 });
    const hostOnA = (await joined(portA, show.id, { token: host.token })).s;
    open.push(hostOnA);
    await ask(hostOnA, 'pin:set', { productId: product.id });
    const launched = await ask(hostOnA, 'deal:launch', {
      productId: product.id,
      priceFen: 2900,
      quantity: QUANTITY,
      perBuyerCap: 1,
      durationSeconds: 600,
    });
    const dealId = (launched as unknown as { deal: DealState }).deal.id;

    const buyers = await fastBuyers(a, 1000);
    await giveAddresses(
      a,
      buyers.map((x) => x.id),
    );
    const port = b?.port as number;
    const sockets: LiveClient[] = [];
    for (let i = 0; i < buyers.length; i += 100)
      sockets.push(
        ...(await Promise.all(
          buyers.slice(i, i + 100).map((x, k) => connected(liveClient((i + k) % 2 ? port : portA, { token: x.token }))),
        )),
      );
    open.push(...sockets);
    const watcher = (await joined(portA, show.id)).s;
    open.push(watcher);

    const acks: Ack[] = new Array(sockets.length);
    let firstOnB: () => void = () => undefined;
    const bAnswered = new Promise<void>((r) => (firstOnB = r));
    const buy = (i: number) =>
      ask(sockets[i], 'deal:buy', { dealId, quantity: 1 })
        .then((r) => {
          acks[i] = r as never;
          if (i % 2) firstOnB();
        })
        .catch(() => (acks[i] = 'lost'));
    const onB = sockets.map((_, i) => i).filter((i) => i % 2 === 1);
    const onA = sockets.map((_, i) => i).filter((i) => i % 2 === 0);
    // B's buyers rush first. Mid-rush — B has answered its first batch and has the rest queued — kill it outright
    // (before, A could sell the deal out first and B answer everyone SOLD_OUT from memory before the kill landed).
    const buys = onB.map(buy);
    await Promise.race([bAnswered, sleep(5000)]);
    b?.child.kill('SIGKILL');
    // A's buyers take what B's dead transactions did not.
    buys.push(...onA.map(buy));
    const giveUp = new Promise<void>((r) => setTimeout(r, 25_000).unref());
    await Promise.all(buys.map((p) => Promise.race([p, giveUp])));
    for (let i = 0; i < acks.length; i++) acks[i] ??= 'lost';
    await sleep(200); // PostgreSQL notices the dead connections and rolls their transactions back

    const lostOnB = acks.filter((r, i) => i % 2 === 1 && r === 'lost').length;
    expect(lostOnB).toBeGreaterThan(0); // B really died mid-rush: some of its buyers never heard back
    const confirmed = acks.filter((r): r is Exclude<Ack, 'lost'> => r !== 'lost' && r.ok);
    const refused = acks.filter((r): r is Exclude<Ack, 'lost'> => r !== 'lost' && !r.ok);
    expect(refused.every((r) => r.code === 'SOLD_OUT')).toBe(true);

    const books = async () => {
      const [deal] = await a.db.query(`SELECT remaining, quantity FROM flash_deals WHERE id = $1`, [dealId]);
      const [held] = await a.db.query(
        `SELECT COALESCE(sum(quantity), 0)::int AS n, count(DISTINCT o.buyer_id)::int AS buyers
           FROM reservations r JOIN orders o ON o.id = r.order_id WHERE r.deal_id = $1 AND r.status = 'held'`,
        [dealId],
      );
      const [p] = await a.db.query(`SELECT stock FROM products WHERE id = $1`, [product.id]);
      // every deal order has exactly one reservation, every reservation its order (one line each)
      const [pairs] = await a.db.query(
        `SELECT (SELECT count(*)::int FROM order_lines l WHERE l.deal_id = $1) AS lines,
                (SELECT count(*)::int FROM reservations r WHERE r.deal_id = $1) AS reservations,
                (SELECT count(*)::int FROM order_lines l WHERE l.deal_id = $1
                   AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = l.order_id AND r.deal_id = $1)) AS orphans`,
        [dealId],
      );
      return {
        remaining: deal.remaining as number,
        held: held.n as number,
        buyers: held.buyers,
        stock: p.stock,
        pairs,
      };
    };
    const after = await books();
    expect(after.held + after.remaining).toBe(QUANTITY); // reserved + remaining = the deal's quantity
    expect(after.stock + after.held).toBe(1000); // the product's stock moved with it, exactly
    expect(after.buyers).toBe(after.held); // cap 1: nobody holds two
    expect(after.pairs).toEqual({
      lines: after.pairs.reservations,
      reservations: after.pairs.reservations,
      orphans: 0,
    });
    expect(confirmed.length).toBeLessThanOrEqual(after.held);
    // every reservation a buyer was told about exists
    const held: string[] = (
      await a.db.query(`SELECT order_id FROM reservations WHERE deal_id = $1 AND status = 'held'`, [dealId])
    ).map((r: { order_id: string }) => r.order_id);
    for (const c of confirmed) expect(held).toContain(c.reservation?.orderId);
    // A's buyers all got an answer (A lives)
    expect(acks.filter((r, i) => i % 2 === 0 && r === 'lost')).toHaveLength(0);
    // nothing reserved that is not answered or expiring
    const [unexpiring] = await a.db.query(
      `SELECT count(*)::int AS n FROM reservations WHERE deal_id = $1 AND status = 'held' AND expires_at > now() + interval '1 hour'`,
      [dealId],
    );
    expect(unexpiring.n).toBe(0);

    // Time passes: every unpaid reservation expires; the units come back to the deal and to every screen.
    const back = nextEvent(watcher, 'deal:updated', (d) => d.id === dealId && d.remaining === QUANTITY, 20_000);
    const lifecycle = a.app.get(LifecycleService);
    const later = new Date(Date.now() + 24 * 3600_000);
    while ((await lifecycle.expireDue(later)) > 0);
    expect((await back).remaining).toBe(QUANTITY);
    const expired = await books();
    expect(expired).toMatchObject({ remaining: QUANTITY, held: 0, stock: 1000 });

    // …and the deal can be bought again at once (the "sold out" this process remembered is forgotten).
    const again = await ask(sockets[0], 'deal:buy', { dealId, quantity: 1 });
    expect(again).toMatchObject({ ok: true });
  }, 180_000);
});
