import type { INestApplication } from '@nestjs/common';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  ConsoleShow,
  LiveAck,
  LiveClientEvents,
  LiveHandshakeAuth,
  LiveServerEvents,
  NotificationPage,
} from '@xiangbo/contracts';
import { insertCooperative, insertProduct, TEST_ADDRESS, TestApp, userWithRoles } from '../../test/test-app';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';

export type LiveClient = Socket<LiveServerEvents, LiveClientEvents>;

/** The test app is not listening by default: listen on a free port and return it. */
export async function listen(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  const addr = t.app.getHttpServer().address() as { port: number };
  return addr.port;
}

/** A real socket.io client on the /live namespace (websocket transport, no automatic reconnection). */
export function liveClient(
  port: number,
  auth: LiveHandshakeAuth = {},
  opts: Partial<ManagerOptions & SocketOptions> = {},
): LiveClient {
  return io(`http://127.0.0.1:${port}/live`, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { ...auth },
    ...opts,
  }) as LiveClient;
}

export function connected(s: LiveClient): Promise<LiveClient> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

/** Emits and waits for the typed ack. */
export function ask<E extends keyof LiveClientEvents>(
  s: LiveClient,
  event: E,
  payload: Parameters<LiveClientEvents[E]>[0],
): Promise<LiveAck & Record<string, unknown>> {
  return (
    s.timeout(20_000) as unknown as {
      emitWithAck: (e: string, p: unknown) => Promise<LiveAck & Record<string, unknown>>;
    }
  ).emitWithAck(event, payload);
}

/** The next `event` whose payload satisfies `accept` (default: any), within `ms`. */
export function nextEvent<E extends keyof LiveServerEvents>(
  s: LiveClient,
  event: E,
  accept: (p: Parameters<LiveServerEvents[E]>[0]) => boolean = () => true,
  ms = 8000,
): Promise<Parameters<LiveServerEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (p: Parameters<LiveServerEvents[E]>[0]) => {
      if (!accept(p)) return;
      clearTimeout(timer);
      s.off(event, handler as never);
      resolve(p);
    };
    s.on(event, handler as never);
  });
}

/** Connects and joins a show; resolves with the socket and the show:state it received. */
export async function joined(port: number, showId: string, auth: LiveHandshakeAuth = {}) {
  const s = await connected(liveClient(port, auth));
  const state = nextEvent(s, 'show:state');
  const ack = await ask(s, 'show:join', { showId });
  if (!ack.ok) throw new Error(`join refused: ${ack.code}`);
  return { s, state: await state };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A cooperative with two products, its host, and a show that is live (unless `live: false`). */
export async function liveShowFixture(t: TestApp, opts: { stock?: number; live?: boolean } = {}) {
  const coop = await insertCooperative(t);
  const product = await insertProduct(t, coop.id, { stock: opts.stock ?? 1000, price_fen: 5900 });
  const other = await insertProduct(t, coop.id, { stock: 300, name_zh: '金米村香菇', price_fen: 3900 });
  const host = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
  const created = await t.http
    .post(`/api/console/cooperatives/${coop.id}/shows`)
    .set(bearer(host.token))
    .send({
      title: '金米村木耳专场',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      productIds: [product.id, other.id],
    })
    .expect(201);
  const show = created.body as ConsoleShow;
  if (opts.live !== false) await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(host.token)).expect(200);
  return { coop, product, other, host, show };
}

/** Gives users a default shipping address (deal buys use it). */
export async function giveAddresses(t: TestApp, userIds: string[], province = TEST_ADDRESS.province) {
  await t.db.query(
    `INSERT INTO addresses (user_id, recipient, mobile, province, city, district, detail, is_default)
     SELECT unnest($1::uuid[]), $2, $3, $4, $5, $6, $7, true`,
    [
      userIds,
      TEST_ADDRESS.recipient,
      TEST_ADDRESS.mobile,
      province,
      TEST_ADDRESS.city,
      TEST_ADDRESS.district,
      TEST_ADDRESS.detail,
    ],
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A second API process for the scale-out tests: the same app, its own port, the SAME database (and Redis),
 * as another instance behind a load balancer would be.
 */
export async function secondApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ app: INestApplication; port: number; close: () => Promise<void> }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    STOREFRONT_DIR: '/nonexistent',
    JOBS_ENABLED: 'false',
    ...env,
  } as NodeJS.ProcessEnv);
  const app = await createApp(config, databaseUrl);
  await app.init();
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, port, close: () => app.close() };
}

/**
 * The links of a user's notifications of one kind. They are written after the commit that caused them, so this
 * waits until `expected` are there (up to 5 s); with `expected` 0 it watches for 300 ms that none arrives.
 */
export async function notifiedOf(t: TestApp, token: string, kind: string, expected = 1): Promise<string[]> {
  const until = Date.now() + (expected ? 5000 : 300);
  for (;;) {
    const res = await t.http
      .get('/api/notifications')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    const links = (res.body as NotificationPage).items.filter((i) => i.kind === kind).map((i) => i.link);
    if ((expected && links.length >= expected) || Date.now() > until) return links;
    await new Promise((r) => setTimeout(r, 50));
  }
}
