import type { INestApplication } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';
import type { ConversationSummary, MessagesAck, MessagesClientEvents, MessagesServerEvents } from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { listen, secondApp } from '../live/live.test-helpers';

/**
 * 客服 across two API processes (as behind a load balancer): the buyer's socket on one, the cooperative's on the
 * other; messages cross through the socket.io Redis adapter the live gateway's server has, and both processes
 * read the same PostgreSQL.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
type Client = Socket<MessagesServerEvents, MessagesClientEvents>;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function connect(port: number, token: string): Promise<Client> {
  const s = io(`http://127.0.0.1:${port}/messages`, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token },
  }) as Client;
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function next<E extends keyof MessagesServerEvents>(s: Client, event: E, ms = 8000) {
  return new Promise<Parameters<MessagesServerEvents[E]>[0]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    s.once(event, ((p: Parameters<MessagesServerEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(p);
    }) as never);
  });
}

describe('messages on two processes over Redis', () => {
  let a: TestApp;
  let b: { app: INestApplication; port: number; close: () => Promise<void> };
  let portA: number;
  const sockets: Client[] = [];
  beforeAll(async () => {
    a = await createTestApp({ REDIS_URL });
    portA = await listen(a);
    b = await secondApp(a.databaseUrl, { REDIS_URL });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b?.close();
    await a?.close();
  });

  it('a buyer on one process and the cooperative on the other hear each other', async () => {
    const coop = await insertCooperative(a);
    const product = await insertProduct(a, coop.id);
    const admin = await userWithRoles(a, [{ role: 'coop_admin', cooperativeId: coop.id }]);
    const buyer = await registerUser(a, '王小明');
    const conv = (
      await a.http.post('/api/conversations').set(bearer(buyer.token)).send({ productId: product.id }).expect(200)
    ).body as ConversationSummary;
    const onA = await connect(portA, buyer.token);
    const onB = await connect(b.port, admin.token);
    sockets.push(onA, onB);

    const atB = next(onB, 'message:new');
    const sent = (await (
      onA.timeout(10_000) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<MessagesAck> }
    ).emitWithAck('message:send', {
      conversationId: conv.id,
      text: '在吗？',
      clientId: 'redis-test-0001',
    })) as MessagesAck;
    expect(sent.ok).toBe(true);
    expect((await atB).message.text).toBe('在吗？');

    const atA = next(onA, 'message:new');
    const bHttp = (await import('supertest')).default(b.app.getHttpServer());
    await bHttp
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(admin.token))
      .send({ text: '在的，请讲', clientId: 'redis-test-0002' })
      .expect(201);
    const got = await atA;
    expect(got.message).toMatchObject({ from: 'staff', text: '在的，请讲' });
    expect(got.conversation).toMatchObject({ side: 'buyer', unread: 1 });
  });
});
