import sharp from 'sharp';
import { io, type Socket } from 'socket.io-client';
import type {
  ChatMessageDto,
  ConversationList,
  ConversationSummary,
  MessagePage,
  MessagesAck,
  MessagesClientEvents,
  MessagesServerEvents,
} from '@xiangbo/contracts';
import {
  createTestApp,
  insertCooperative,
  insertProduct,
  registerUser,
  TEST_ADDRESS,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { listen } from '../live/live.test-helpers';

/**
 * 客服 through the real app on real PostgreSQL, with real socket.io clients: two buyers, two cooperatives.
 * A buyer's conversation is read and answered by its cooperative's admins and hosts only; the other buyer, the
 * other cooperative's admin and the cooperative's auditor find nothing, over HTTP and over the socket.
 */
type Client = Socket<MessagesServerEvents, MessagesClientEvents>;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function client(port: number, token?: string): Client {
  return io(`http://127.0.0.1:${port}/messages`, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: token ? { token } : {},
  }) as Client;
}

function connected(s: Client): Promise<Client> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

function ask<E extends keyof MessagesClientEvents>(
  s: Client,
  event: E,
  payload: Parameters<MessagesClientEvents[E]>[0],
): Promise<MessagesAck & Record<string, unknown>> {
  return (
    s.timeout(10_000) as unknown as {
      emitWithAck: (e: string, p: unknown) => Promise<MessagesAck & Record<string, unknown>>;
    }
  ).emitWithAck(event, payload);
}

/** Every `event` a socket receives, in order. */
function collect<E extends keyof MessagesServerEvents>(s: Client, event: E) {
  const got: Parameters<MessagesServerEvents[E]>[0][] = [];
  s.on(event, ((p: Parameters<MessagesServerEvents[E]>[0]) => got.push(p)) as never);
  return got;
}

async function waitFor(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const clientId = () => `test-${Date.now().toString(36)}-${++seq}`;

describe('messages (客服): real app, real PostgreSQL, real socket.io clients', () => {
  let t: TestApp;
  let port: number;
  const sockets: Client[] = [];
  const open = async (token?: string) => {
    const s = await connected(client(port, token));
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestApp();
    port = await listen(t);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await t.close();
  });

  async function setup() {
    const coopA = await insertCooperative(t, { name: '金米村木耳合作社' });
    const coopB = await insertCooperative(t, { name: '别的合作社' });
    const product = await insertProduct(t, coopA.id, { name_zh: '柞水黑木耳' });
    const adminA = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopA.id }]);
    const hostA = await userWithRoles(t, [{ role: 'host', cooperativeId: coopA.id }]);
    const auditorA = await userWithRoles(t, [{ role: 'auditor', cooperativeId: coopA.id }]);
    const adminB = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coopB.id }]);
    const buyer1 = await registerUser(t, '王小明');
    const buyer2 = await registerUser(t, '李四');
    return { coopA, coopB, product, adminA, hostA, auditorA, adminB, buyer1, buyer2 };
  }

  async function openFromProduct(token: string, productId: string): Promise<ConversationSummary> {
    const res = await t.http.post('/api/conversations').set(bearer(token)).send({ productId }).expect(200);
    return res.body as ConversationSummary;
  }

  it('a buyer asks from a product page and the cooperative answers live; the other side of each socket hears nothing', async () => {
    const s = await setup();
    const conv = await openFromProduct(s.buyer1.token, s.product.id);
    expect(conv).toMatchObject({
      cooperative: { id: s.coopA.id, name: '金米村木耳合作社' },
      buyer: { masked: '王*明' },
      subject: { kind: 'product', id: s.product.id, name: '柞水黑木耳', priceFen: 5900 },
      unread: 0,
      side: 'buyer',
    });
    // Opening again (the same product) is the same conversation and adds no second card.
    expect((await openFromProduct(s.buyer1.token, s.product.id)).id).toBe(conv.id);

    const buyerSock = await open(s.buyer1.token);
    const adminSock = await open(s.adminA.token);
    const otherBuyerSock = await open(s.buyer2.token);
    const otherCoopSock = await open(s.adminB.token);
    const auditorSock = await open(s.auditorA.token);
    const toAdmin = collect(adminSock, 'message:new');
    const toBuyer = collect(buyerSock, 'message:new');
    const leaks = [
      collect(otherBuyerSock, 'message:new'),
      collect(otherCoopSock, 'message:new'),
      collect(auditorSock, 'message:new'),
    ];

    const sent = await ask(buyerSock, 'message:send', {
      conversationId: conv.id,
      text: '  请问木耳是今年的新货吗？\n几天能到杭州？ ',
      clientId: clientId(),
    });
    expect(sent).toMatchObject({ ok: true, message: { from: 'buyer', kind: 'text' } });
    expect((sent.message as ChatMessageDto).text).toBe('请问木耳是今年的新货吗？\n几天能到杭州？');
    await waitFor(() => toAdmin.length === 1);
    expect(toAdmin[0].conversation).toMatchObject({
      id: conv.id,
      side: 'staff',
      unread: 1,
      buyer: { masked: '王*明' },
    });
    expect(toAdmin[0].message.text).toContain('新货');

    // The host of the cooperative answers too; the buyer sees it without asking.
    const hostSock = await open(s.hostA.token);
    const reply = await ask(hostSock, 'message:send', {
      conversationId: conv.id,
      text: '是今年9月采的新木耳，江浙沪一般2天到。',
      clientId: clientId(),
    });
    expect(reply.ok).toBe(true);
    await waitFor(() => toBuyer.some((e) => e.message.from === 'staff'));
    const got = toBuyer.find((e) => e.message.from === 'staff');
    expect(got?.conversation).toMatchObject({ id: conv.id, side: 'buyer', unread: 1 });
    expect(got?.message.text).toBe('是今年9月采的新木耳，江浙沪一般2天到。');

    await sleep(300); // anything misrouted would have arrived by now
    for (const l of leaks) expect(l).toEqual([]);

    // The inbox of the cooperative: one conversation; the other cooperative and the auditor get 404.
    const inbox = await t.http
      .get(`/api/console/cooperatives/${s.coopA.id}/conversations`)
      .set(bearer(s.adminA.token))
      .expect(200);
    expect((inbox.body as ConversationList).items.map((c) => c.id)).toEqual([conv.id]);
    await t.http.get(`/api/console/cooperatives/${s.coopA.id}/conversations`).set(bearer(s.adminB.token)).expect(404);
    await t.http.get(`/api/console/cooperatives/${s.coopA.id}/conversations`).set(bearer(s.auditorA.token)).expect(403); // an auditor holds no staff role at all: refused by the route
    await t.http.get(`/api/console/cooperatives/${s.coopA.id}/conversations`).set(bearer(s.buyer2.token)).expect(403);
  });

  it('refuses the wrong side everywhere: another buyer, another cooperative, the auditor, no sign-in', async () => {
    const s = await setup();
    const conv = await openFromProduct(s.buyer1.token, s.product.id);
    await t.http
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(s.buyer1.token))
      .send({ text: '你好', clientId: clientId() })
      .expect(201);

    for (const intruder of [s.buyer2, s.adminB, s.auditorA]) {
      const read = await t.http.get(`/api/conversations/${conv.id}`).set(bearer(intruder.token)).expect(404);
      expect(read.body.code).toBe('CONVERSATION_NOT_FOUND');
      await t.http.get(`/api/conversations/${conv.id}/messages`).set(bearer(intruder.token)).expect(404);
      await t.http
        .post(`/api/conversations/${conv.id}/messages`)
        .set(bearer(intruder.token))
        .send({ text: '插一句', clientId: clientId() })
        .expect(404);
      await t.http.post(`/api/conversations/${conv.id}/read`).set(bearer(intruder.token)).expect(404);
      const sock = await open(intruder.token);
      const refused = await ask(sock, 'message:send', {
        conversationId: conv.id,
        text: '插一句',
        clientId: clientId(),
      });
      expect(refused).toMatchObject({ ok: false, code: 'CONVERSATION_NOT_FOUND' });
      expect(await ask(sock, 'conversation:read', { conversationId: conv.id })).toMatchObject({
        ok: false,
        code: 'CONVERSATION_NOT_FOUND',
      });
    }
    // Nothing the intruders tried was stored; the buyer's unread is untouched.
    const page = await t.http.get(`/api/conversations/${conv.id}/messages`).set(bearer(s.buyer1.token)).expect(200);
    expect((page.body as MessagePage).items.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual(['你好']);
    const mine = await t.http.get('/api/conversations').set(bearer(s.buyer2.token)).expect(200);
    expect((mine.body as ConversationList).items).toEqual([]);

    // A socket without a valid token is refused at the handshake.
    await expect(connected(client(port))).rejects.toMatchObject({ message: 'MESSAGES_NOT_SIGNED_IN' });
    await expect(connected(client(port, 'not-a-token'))).rejects.toMatchObject({ message: 'MESSAGES_NOT_SIGNED_IN' });
    await t.http.get(`/api/conversations/${conv.id}`).expect(401);

    // A cooperative's own staff do not open buyer conversations with it.
    const own = await t.http
      .post('/api/conversations')
      .set(bearer(s.adminA.token))
      .send({ productId: s.product.id })
      .expect(400);
    expect(own.body.code).toBe('CONVERSATION_OWN_COOPERATIVE');
  });

  it("opens from an order only for the order's buyer; the order card shows the cooperative what it needs", async () => {
    const s = await setup();
    const placed = await t.http
      .post('/api/orders')
      .set(bearer(s.buyer1.token))
      .send({ items: [{ productId: s.product.id, quantity: 2 }], address: TEST_ADDRESS })
      .expect(201);
    const orderId = placed.body.id as string;
    const refused = await t.http.post('/api/conversations').set(bearer(s.buyer2.token)).send({ orderId }).expect(404);
    expect(refused.body.code).toBe('CONVERSATION_SUBJECT_NOT_FOUND');
    const conv = (await t.http.post('/api/conversations').set(bearer(s.buyer1.token)).send({ orderId }).expect(200))
      .body as ConversationSummary;
    expect(conv.subject).toMatchObject({ kind: 'order', id: orderId, itemCount: 2, totalFen: placed.body.totalFen });
    await t.http
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(s.buyer1.token))
      .send({ text: '地址写错了，能改吗？', clientId: clientId() })
      .expect(201);
    const staffView = (await t.http.get(`/api/conversations/${conv.id}`).set(bearer(s.adminA.token)).expect(200))
      .body as ConversationSummary;
    expect(staffView).toMatchObject({ side: 'staff', unread: 1, subject: { kind: 'order', id: orderId } });
    // The buyer as the cooperative sees them: a masked name, no id, phone or address.
    expect(JSON.stringify(staffView)).not.toContain(s.buyer1.user.id);
    expect(JSON.stringify(staffView)).not.toContain(TEST_ADDRESS.mobile);

    // Neither a missing product, one of nobody, nor none at all.
    const none = await t.http.post('/api/conversations').set(bearer(s.buyer1.token)).send({}).expect(400);
    expect(none.body.code).toBe('VALIDATION_FAILED');
    await t.http
      .post('/api/conversations')
      .set(bearer(s.buyer1.token))
      .send({ productId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
  });

  it('keeps what arrives while the buyer is away: unread counts, the history by pages, 已读 for the sender', async () => {
    const s = await setup();
    const conv = await openFromProduct(s.buyer1.token, s.product.id);
    const adminSock = await open(s.adminA.token);
    await t.http
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(s.buyer1.token))
      .send({ text: '在吗', clientId: clientId() })
      .expect(201);
    // The buyer is offline; the cooperative answers twice.
    for (const text of ['在的', '您想了解哪款？'])
      expect((await ask(adminSock, 'message:send', { conversationId: conv.id, text, clientId: clientId() })).ok).toBe(
        true,
      );
    const list = (await t.http.get('/api/conversations').set(bearer(s.buyer1.token)).expect(200))
      .body as ConversationList;
    expect(list.unreadTotal).toBe(2);
    expect(list.items[0]).toMatchObject({
      id: conv.id,
      unread: 2,
      lastMessage: { from: 'staff', text: '您想了解哪款？' },
    });
    expect((await t.http.get('/api/conversations/unread').set(bearer(s.buyer1.token)).expect(200)).body).toEqual({
      unreadTotal: 2,
    });

    // Reading: the buyer's count goes to 0, the staff's sockets learn it (已读).
    const reads = collect(adminSock, 'conversation:read');
    await t.http.post(`/api/conversations/${conv.id}/read`).set(bearer(s.buyer1.token)).expect(204);
    await waitFor(() => reads.length === 1);
    expect(reads[0]).toMatchObject({ conversationId: conv.id, side: 'buyer' });
    const staff = (await t.http.get(`/api/conversations/${conv.id}`).set(bearer(s.adminA.token)).expect(200))
      .body as ConversationSummary;
    expect(staff.peerReadAt).toBe(reads[0].at);
    expect((await t.http.get('/api/conversations/unread').set(bearer(s.buyer1.token))).body.unreadTotal).toBe(0);

    // 45 more messages (written directly: the send limit is 20 per 30 s); pages of 30 then the rest, oldest first.
    await t.db.query(
      `INSERT INTO conversation_messages (conversation_id, sender_side, sender_id, kind, text)
       SELECT $1, 'staff', $2, 'text', '第' || g || '条' FROM generate_series(1, 45) g`,
      [conv.id, s.adminA.user.id],
    );
    const first = (await t.http.get(`/api/conversations/${conv.id}/messages`).set(bearer(s.buyer1.token)).expect(200))
      .body as MessagePage;
    expect(first.items).toHaveLength(30);
    expect(first.items.at(-1)?.text).toBe('第45条');
    expect(first.nextBefore).toBe(first.items[0].id);
    const second = (
      await t.http
        .get(`/api/conversations/${conv.id}/messages?before=${first.nextBefore}`)
        .set(bearer(s.buyer1.token))
        .expect(200)
    ).body as MessagePage;
    // 1 card + 3 messages + 15 = 19 older ones, and nothing before them.
    expect(second.items).toHaveLength(19);
    expect(second.items[0]).toMatchObject({ kind: 'product', card: { kind: 'product', id: s.product.id } });
    expect(second.nextBefore).toBeNull();
    const ids = [...second.items, ...first.items].map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    await t.http.get(`/api/conversations/${conv.id}/messages?before=abc`).set(bearer(s.buyer1.token)).expect(400);
  });

  it('refuses bad text with a named field, stores a resend once, and limits the rate per user', async () => {
    const s = await setup();
    const conv = await openFromProduct(s.buyer1.token, s.product.id);
    const sock = await open(s.buyer1.token);

    const nul = await ask(sock, 'message:send', { conversationId: conv.id, text: 'a\u0000b', clientId: clientId() });
    expect(nul).toMatchObject({ ok: false, code: 'CONTROL_CHARACTERS', field: 'text' });
    const bell = await t.http
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(s.buyer1.token))
      .send({ text: 'ding\u0007', clientId: clientId() })
      .expect(400);
    expect(bell.body.code).toBe('CONTROL_CHARACTERS');
    const long = await ask(sock, 'message:send', {
      conversationId: conv.id,
      text: '木'.repeat(501),
      clientId: clientId(),
    });
    expect(long).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'text' });
    expect(String(long.message)).toContain('at most 500 characters');
    const blank = await ask(sock, 'message:send', { conversationId: conv.id, text: ' \u200b ', clientId: clientId() });
    expect(blank).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'text' });
    const http = await t.http
      .post(`/api/conversations/${conv.id}/messages`)
      .set(bearer(s.buyer1.token))
      .send({ text: '', clientId: clientId() })
      .expect(400);
    expect(http.body.errors).toEqual([expect.objectContaining({ field: 'text' })]);
    // 500 characters exactly (in characters, not bytes) is allowed.
    expect(
      (await ask(sock, 'message:send', { conversationId: conv.id, text: '木'.repeat(500), clientId: clientId() })).ok,
    ).toBe(true);

    // A resend with the same clientId (after a drop) is the same message, counted once.
    const id = clientId();
    const a = await ask(sock, 'message:send', { conversationId: conv.id, text: '重发测试', clientId: id });
    const b = await ask(sock, 'message:send', { conversationId: conv.id, text: '重发测试', clientId: id });
    expect((a.message as ChatMessageDto).id).toBe((b.message as ChatMessageDto).id);
    const staff = (await t.http.get(`/api/conversations/${conv.id}`).set(bearer(s.adminA.token)).expect(200))
      .body as ConversationSummary;
    expect(staff.unread).toBe(2);

    // 20 messages per 30 s per user, over all their sockets and HTTP (3 counted above): the 18th more is refused
    // with a wait, and so is the socket then.
    let status = 201;
    let sent = 0;
    while (status === 201 && sent < 30) {
      status = (
        await t.http
          .post(`/api/conversations/${conv.id}/messages`)
          .set(bearer(s.buyer1.token))
          .send({ text: `第${sent}条`, clientId: clientId() })
      ).status;
      sent++;
    }
    expect({ status, sent }).toEqual({ status: 429, sent: 18 });
    const refused = await ask(sock, 'message:send', { conversationId: conv.id, text: '还在吗', clientId: clientId() });
    expect(refused).toMatchObject({ ok: false, code: 'MESSAGE_RATE_LIMITED' });
    expect(Number(refused.retryAfterMs)).toBeGreaterThan(0);
  });

  it('sends a photo through the image pipeline and refuses what is not an image', async () => {
    const s = await setup();
    const conv = await openFromProduct(s.buyer1.token, s.product.id);
    const adminSock = await open(s.adminA.token);
    const toAdmin = collect(adminSock, 'message:new');
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#5a3b20' } })
      .jpeg()
      .toBuffer();
    const res = await t.http
      .post(`/api/conversations/${conv.id}/photos`)
      .set(bearer(s.buyer1.token))
      .attach('photo', jpeg, { filename: 'muer.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const msg = res.body as ChatMessageDto;
    expect(msg).toMatchObject({ kind: 'photo', from: 'buyer', photo: { width: 800, height: 600 } });
    expect(msg.photo?.thumbUrl).toMatch(/\/api\/files\/messages\/.+-thumb\.webp$/);
    await waitFor(() => toAdmin.length === 1);
    expect(toAdmin[0].conversation.lastMessage).toMatchObject({ kind: 'photo' });
    await t.http.get(new URL(msg.photo?.url ?? '/none', 'http://x').pathname).expect(200);

    const bad = await t.http
      .post(`/api/conversations/${conv.id}/photos`)
      .set(bearer(s.buyer1.token))
      .attach('photo', Buffer.from('not an image'), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(bad.status).toBe(400);
    await t.http
      .post(`/api/conversations/${conv.id}/photos`)
      .set(bearer(s.buyer2.token))
      .attach('photo', jpeg, { filename: 'muer.jpg', contentType: 'image/jpeg' })
      .expect(404);
  });
});
