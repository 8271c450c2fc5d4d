import type { ConsoleShow, DealState, ShowDetail, ShowPatch, ShowSummary } from '@xiangbo/contracts';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  registerUser,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { LifecycleService } from '../orders/lifecycle.service';
import { DealsService } from './deals.service';
import { LiveHub } from './live-hub';
import {
  ask,
  bearer,
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

/** Real app on a real port, real socket.io clients, real PostgreSQL. */
describe('live rooms over socket.io', () => {
  let t: TestApp;
  let port: number;
  const open: LiveClient[] = [];
  const track = <T extends { s: LiveClient }>(x: T) => (open.push(x.s), x);

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: process.env.XB_TEST_LOG ?? 'silent' });
    port = await listen(t);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  const launch = (
    host: LiveClient,
    productId: string,
    extra: Partial<{ priceFen: number; quantity: number; perBuyerCap: number; durationSeconds: number }> = {},
  ) =>
    ask(host, 'deal:launch', {
      productId,
      priceFen: 3900,
      quantity: 50,
      perBuyerCap: 1,
      durationSeconds: 120,
      ...extra,
    });

  describe('handshake', () => {
    it('lets an anonymous viewer watch but not chat or buy (NOT_SIGNED_IN)', async () => {
      const { show } = await liveShowFixture(t);
      const { s, state } = track(await joined(port, show.id));
      expect(state).toMatchObject({
        showId: show.id,
        status: 'live',
        pin: null,
        deal: null,
        chat: [],
        you: { userId: null, canHost: false },
      });
      expect(await ask(s, 'chat:send', { text: '你好' })).toMatchObject({ ok: false, code: 'NOT_SIGNED_IN' });
      expect(await ask(s, 'deal:buy', { dealId: '00000000-0000-4000-8000-000000000000', quantity: 1 })).toMatchObject({
        ok: false,
        code: 'NOT_SIGNED_IN',
      });
      expect(await ask(s, 'pin:set', { productId: null })).toMatchObject({ ok: false, code: 'NOT_SIGNED_IN' });
    });

    it('refuses a connection with an invalid token (the client refreshes it), and the default namespace', async () => {
      await expect(connected(liveClient(port, { token: 'not-a-jwt' }))).rejects.toMatchObject({
        message: 'NOT_SIGNED_IN',
      });
      const { io } = await import('socket.io-client');
      const root = io(`http://127.0.0.1:${port}/`, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await expect(connected(root as never)).rejects.toBeTruthy();
      root.disconnect();
    });

    it('refuses a foreign Origin and accepts an allowed one', async () => {
      const foreign = liveClient(port, {}, { extraHeaders: { Origin: 'https://evil.example' } });
      await expect(connected(foreign)).rejects.toBeTruthy();
      foreign.disconnect();
      const polling = liveClient(
        port,
        {},
        { transports: ['polling'], extraHeaders: { Origin: 'https://evil.example' } },
      );
      await expect(connected(polling)).rejects.toBeTruthy();
      polling.disconnect();
      const ok = await connected(liveClient(port, {}, { extraHeaders: { Origin: 'http://localhost:4200' } }));
      expect(ok.connected).toBe(true);
      ok.disconnect();
    });

    it('disconnects a client that sends a message bigger than the 16 KB limit', async () => {
      const buyer = await registerUser(t);
      const { show } = await liveShowFixture(t);
      const { s } = track(await joined(port, show.id, { token: buyer.token }));
      const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
      s.emit('chat:send', { text: 'x'.repeat(20_000) });
      expect(await gone).toMatch(/transport close|io server disconnect|transport error/);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM chat_messages WHERE show_id = $1`, [show.id]);
      expect(n).toBe(0);
    });
  });

  describe('chat', () => {
    it('holds the per-user rate limit (5 per 10 s) across two connections of the same user', async () => {
      const buyer = await registerUser(t);
      const { show } = await liveShowFixture(t);
      const a = track(await joined(port, show.id, { token: buyer.token })).s;
      const b = track(await joined(port, show.id, { token: buyer.token })).s;
      const results = await Promise.all([1, 2, 3, 4].map((i) => ask(a, 'chat:send', { text: `消息 ${i}` })));
      const more = await Promise.all([5, 6, 7, 8].map((i) => ask(b, 'chat:send', { text: `消息 ${i}` })));
      const all = [...results, ...more];
      expect(all.filter((r) => r.ok)).toHaveLength(5);
      const refused = all.filter((r) => !r.ok);
      expect(refused).toHaveLength(3);
      for (const r of refused) expect(r).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM chat_messages WHERE show_id = $1`, [show.id]);
      expect(n).toBe(5);
    });

    it('stores and sends HTML as the plain text it is; refuses empty and over-long messages', async () => {
      const [author, reader] = [await registerUser(t, '小明'), await registerUser(t)];
      const { show } = await liveShowFixture(t);
      const a = track(await joined(port, show.id, { token: author.token })).s;
      const r = track(await joined(port, show.id, { token: reader.token })).s;
      const html = '<img src=x onerror="alert(1)"><b>好吃</b>';
      const received = nextEvent(r, 'chat:message');
      expect(await ask(a, 'chat:send', { text: html })).toMatchObject({
        ok: true,
        message: { text: html, displayName: '小明', fromHost: false },
      });
      expect((await received).text).toBe(html);
      const [row] = await t.db.query(`SELECT text FROM chat_messages WHERE show_id = $1`, [show.id]);
      expect(row.text).toBe(html);
      expect(await ask(a, 'chat:send', { text: '   ' })).toMatchObject({ ok: false, code: 'INVALID', field: 'text' });
      expect(await ask(a, 'chat:send', { text: '长'.repeat(201) })).toMatchObject({
        ok: false,
        code: 'INVALID',
        field: 'text',
      });
    });

    it('moderation: the host deletes a message, mutes, bans (messages hidden, cannot rejoin), sets slow mode', async () => {
      const viewer = await registerUser(t);
      const { show, host } = await liveShowFixture(t);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      const v = track(await joined(port, show.id, { token: viewer.token })).s;
      const sent = await ask(v, 'chat:send', { text: '广告广告' });
      const msg = (sent as unknown as { message: { id: string; userId: string } }).message;
      const deleted = nextEvent(h, 'chat:deleted');
      expect(await ask(h, 'chat:delete', { messageId: msg.id })).toEqual({ ok: true });
      expect((await deleted).messageId).toBe(msg.id);

      const muted = nextEvent(v, 'moderation');
      expect(await ask(h, 'user:mute', { userId: msg.userId, minutes: 10 })).toEqual({ ok: true });
      expect(await muted).toMatchObject({ kind: 'muted', until: expect.any(String) });
      expect(await ask(v, 'chat:send', { text: '我又来了' })).toMatchObject({ ok: false, code: 'MUTED' });
      expect(await ask(h, 'user:mute', { userId: msg.userId, minutes: 0 })).toEqual({ ok: true });
      await sleep(1100); // the rate limit is not what is tested here
      expect(await ask(v, 'chat:send', { text: '我道歉' })).toMatchObject({ ok: true });

      expect(await ask(h, 'chat:slow-mode', { seconds: 30 })).toEqual({ ok: true });
      expect(await ask(v, 'chat:send', { text: '再说一句' })).toMatchObject({ ok: false, code: 'SLOW_MODE' });
      expect(await ask(h, 'chat:send', { text: '主播不受慢速限制' })).toMatchObject({
        ok: true,
        message: { fromHost: true },
      });
      await ask(h, 'chat:slow-mode', { seconds: 0 });

      const banned = nextEvent(v, 'moderation', (p) => p.kind === 'banned');
      expect(await ask(h, 'user:ban', { userId: msg.userId })).toEqual({ ok: true });
      await banned;
      expect(await ask(v, 'show:join', { showId: show.id })).toMatchObject({ ok: false, code: 'BANNED' });
      const state = (await joined(port, show.id)).state;
      expect(state.chat.some((m) => m.userId === msg.userId)).toBe(false);
      expect(await ask(h, 'user:ban', { userId: host.user.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    });
  });

  describe('host actions', () => {
    it('a viewer — or another host of the cooperative — cannot pin, launch deals or moderate', async () => {
      const viewer = await registerUser(t);
      const { show, product, coop } = await liveShowFixture(t);
      const otherHost = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);
      for (const token of [viewer.token, otherHost.token]) {
        const { s, state } = track(await joined(port, show.id, { token }));
        expect(state.you.canHost).toBe(false);
        expect(await ask(s, 'pin:set', { productId: product.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(await launch(s, product.id)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(await ask(s, 'chat:slow-mode', { seconds: 10 })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(await ask(s, 'user:mute', { userId: viewer.user.id, minutes: 5 })).toMatchObject({
          ok: false,
          code: 'FORBIDDEN',
        });
      }
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM pins WHERE show_id = $1`, [show.id]);
      expect(n).toBe(0);
      // the cooperative's admin may run it
      const admin = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
      const a = track(await joined(port, show.id, { token: admin.token })).s;
      expect(await ask(a, 'pin:set', { productId: product.id })).toMatchObject({ ok: true });
    });

    it('pins reach viewers as named events and as one coalesced patch, with live stock; the timeline is kept', async () => {
      const { show, product, other, host } = await liveShowFixture(t, { stock: 120 });
      const h = track(await joined(port, show.id, { token: host.token })).s;
      const named = track(await joined(port, show.id)).s;
      const patched = track(await joined(port, show.id, { patches: true })).s;
      const patches: ShowPatch[] = [];
      patched.on('show:patch', (p) => patches.push(p));
      const pinEvent = nextEvent(named, 'pin:changed', (p) => p.pin?.productId === other.id);
      // three host actions within one tick → a patch mode viewer gets them folded together
      await Promise.all([ask(h, 'pin:set', { productId: product.id }), ask(h, 'chat:send', { text: '大家好' })]);
      expect(await ask(h, 'pin:set', { productId: other.id })).toMatchObject({
        ok: true,
        pin: { productId: other.id, stock: 300 },
      });
      expect((await pinEvent).pin).toMatchObject({ nameZh: '金米村香菇', stock: 300, priceFen: 3900 });
      await sleep(400);
      const withPin = patches.filter((p) => p.pin !== undefined);
      expect(withPin.at(-1)?.pin?.productId).toBe(other.id);
      expect(patches.flatMap((p) => p.chat ?? []).map((m) => m.text)).toEqual(['大家好']);
      expect(patches.length).toBeLessThanOrEqual(3);
      const detail = (await t.http.get(`/api/shows/${show.id}`).expect(200)).body as ShowDetail;
      // The bag's 已售 N is the product's own count (the catalogue's figure).
      const listed = (await t.http.get(`/api/products/${other.id}`).expect(200)).body as { soldCount: number };
      expect(detail.products.find((p) => p.id === other.id)?.soldCount).toBe(listed.soldCount);
      expect(detail.pins.map((p) => [p.productId, p.unpinnedAt === null])).toEqual([
        [product.id, false],
        [other.id, true],
      ]);
    });

    it('patch viewers spread over the slices each get every change exactly once, folded; joining again changes nothing', async () => {
      const { show, product, other, host } = await liveShowFixture(t, { stock: 120 });
      const h = track(await joined(port, show.id, { token: host.token })).s;
      const viewers = await Promise.all(Array.from({ length: 12 }, () => joined(port, show.id, { patches: true })));
      viewers.forEach((v) => open.push(v.s));
      // one of them asks to join the same show again: it must stay in the one room it is in
      expect(await ask(viewers[0].s, 'show:join', { showId: show.id })).toMatchObject({ ok: true });
      const received = viewers.map(({ s }) => {
        const patches: ShowPatch[] = [];
        s.on('show:patch', (p) => patches.push(p));
        return patches;
      });
      const texts = Array.from({ length: 5 }, (_, i) => `第${i + 1}条`); // (the per-user chat limit allows 5 at once)
      for (let i = 0; i < texts.length; i++) {
        await ask(h, 'pin:set', { productId: i % 2 ? other.id : product.id });
        expect(await ask(h, 'chat:send', { text: texts[i] })).toMatchObject({ ok: true });
      }
      await sleep(600);
      for (const patches of received) {
        const pins = patches.filter((p) => p.pin !== undefined);
        expect(pins.at(-1)?.pin?.productId).toBe((texts.length - 1) % 2 ? other.id : product.id);
        // every message once, in order, however the patches were folded
        expect(patches.flatMap((p) => p.chat ?? []).map((m) => m.text)).toEqual(texts);
      }
      // the viewers were spread: not all in one room
      const sockets = [...(t.app.get(LiveHub).namespace?.sockets.values() ?? [])];
      const rooms = new Set(sockets.flatMap((s) => [...s.rooms].filter((r) => r.startsWith(`show:${show.id}:p`))));
      expect(rooms.size).toBeGreaterThan(1);
      const inSlices = sockets.filter((s) => [...s.rooms].some((r) => r.startsWith(`show:${show.id}:p`)));
      expect(inSlices.every((s) => [...s.rooms].filter((r) => r.startsWith(`show:${show.id}:p`)).length === 1)).toBe(
        true,
      );
    });

    it('patches are written straight to WebSocket connections as ready frames; a long-polling viewer gets the same through engine.io', async () => {
      const { show, product, host } = await liveShowFixture(t, { stock: 120 });
      const hub = t.app.get(LiveHub);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      const ws = track(await joined(port, show.id, { patches: true })).s;
      const polling = await connected(liveClient(port, { patches: true }, { transports: ['polling'] }));
      open.push(polling);
      const state = nextEvent(polling, 'show:state');
      expect(await ask(polling, 'show:join', { showId: show.id })).toMatchObject({ ok: true });
      await state;
      const before = { ...hub.fanout };
      const got = [ws, polling].map((s) => nextEvent(s, 'show:patch', (p) => p.pin?.productId === product.id));
      await ask(h, 'pin:set', { productId: product.id });
      const [a, b] = await Promise.all(got);
      expect(a).toEqual(b);
      expect(a.pin).toMatchObject({ productId: product.id, stock: 120 });
      // the WebSocket viewer took the direct path, the polling one did not
      expect(hub.fanout.direct - before.direct).toBeGreaterThanOrEqual(1);
      expect(hub.fanout.fallback - before.fallback).toBeGreaterThanOrEqual(1);
    });
  });

  describe('flash deals', () => {
    it('200 buyers racing through sockets for 50 units: exactly 50 reserved, 150 SOLD_OUT, nothing oversold', async () => {
      const { show, product, host } = await liveShowFixture(t, { stock: 1000 });
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      const launched = await launch(h, product.id, { quantity: 50, perBuyerCap: 1, priceFen: 2900 });
      expect(launched).toMatchObject({
        ok: true,
        deal: { remaining: 50, status: 'open', priceFen: 2900, listPriceFen: 5900 },
      });
      const dealId = (launched as unknown as { deal: DealState }).deal.id;
      const watcher = track(await joined(port, show.id)).s;
      const soldOutSeen = nextEvent(watcher, 'deal:updated', (d) => d.remaining === 0, 20_000);

      const buyers = await fastBuyers(t, 200);
      await giveAddresses(
        t,
        buyers.map((b) => b.id),
      );
      const sockets = await Promise.all(buyers.map((b) => connected(liveClient(port, { token: b.token }))));
      open.push(...sockets);
      const results = await Promise.all(sockets.map((s) => ask(s, 'deal:buy', { dealId, quantity: 1 })));
      const ok = results.filter((r) => r.ok);
      expect(ok).toHaveLength(50);
      expect(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code)).toEqual(
        Array(150).fill('SOLD_OUT'),
      );
      expect(ok[0]).toMatchObject({
        reservation: { quantity: 1, amountFen: 2900, payUrl: expect.stringMatching(/^\/pay\//) },
      });

      const [deal] = await t.db.query(`SELECT remaining FROM flash_deals WHERE id = $1`, [dealId]);
      expect(deal.remaining).toBe(0);
      const [held] = await t.db.query(
        `SELECT COALESCE(sum(quantity), 0)::int AS n FROM reservations WHERE deal_id = $1 AND status = 'held'`,
        [dealId],
      );
      expect(held.n).toBe(50);
      const [p] = await t.db.query(`SELECT stock FROM products WHERE id = $1`, [product.id]);
      expect(p.stock).toBe(950);
      const [lines] = await t.db.query(
        `SELECT count(*)::int AS n, min(unit_price_fen)::int AS price FROM order_lines WHERE deal_id = $1`,
        [dealId],
      );
      expect(lines).toEqual({ n: 50, price: 2900 });
      expect((await soldOutSeen).remaining).toBe(0);
    });

    it('refuses clearly: cap reached, no address, deal closed (also past its end time even before any job ran)', async () => {
      const { show, product, host } = await liveShowFixture(t);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      const dealId = ((await launch(h, product.id, { quantity: 20, perBuyerCap: 2 })) as unknown as { deal: DealState })
        .deal.id;
      const [withAddress, without] = await fastBuyers(t, 2);
      await giveAddresses(t, [withAddress.id]);
      const b = await connected(liveClient(port, { token: withAddress.token }));
      const n = await connected(liveClient(port, { token: without.token }));
      open.push(b, n);
      expect(await ask(b, 'deal:buy', { dealId, quantity: 1 })).toMatchObject({ ok: true });
      expect(await ask(b, 'deal:buy', { dealId, quantity: 2 })).toMatchObject({ ok: false, code: 'CAP_REACHED' });
      expect(await ask(b, 'deal:buy', { dealId, quantity: 1 })).toMatchObject({ ok: true });
      expect(await ask(b, 'deal:buy', { dealId, quantity: 1 })).toMatchObject({ ok: false, code: 'CAP_REACHED' });
      expect(await ask(n, 'deal:buy', { dealId, quantity: 1 })).toMatchObject({ ok: false, code: 'NO_ADDRESS' });

      // the end time passes while nothing has closed it yet: the buy is refused anyway
      await t.db.query(`UPDATE flash_deals SET ends_at = now() - interval '1 second' WHERE id = $1`, [dealId]);
      const [other] = await fastBuyers(t, 1);
      await giveAddresses(t, [other.id]);
      const o = await connected(liveClient(port, { token: other.token }));
      open.push(o);
      expect(await ask(o, 'deal:buy', { dealId, quantity: 1 })).toMatchObject({ ok: false, code: 'DEAL_CLOSED' });
      // and the server closes it (the job's sweep) and tells every screen
      const watcher = track(await joined(port, show.id)).s;
      const closed = nextEvent(watcher, 'deal:updated', (d) => d.id === dealId && d.status === 'closed');
      expect(await t.app.get(DealsService).closeDue()).toBeGreaterThanOrEqual(1);
      expect((await closed).remaining).toBe(18);
    });

    it('closes the deal at its end time on the server with nobody connected', async () => {
      const { show, product, host } = await liveShowFixture(t);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      const dealId = ((await launch(h, product.id, { durationSeconds: 10 })) as unknown as { deal: DealState }).deal.id;
      h.disconnect(); // the host is gone
      await t.db.query(`UPDATE flash_deals SET ends_at = now() + interval '300 milliseconds' WHERE id = $1`, [dealId]);
      await t.app.get(DealsService).closeIfDue(dealId); // not due yet: stays open
      let [row] = await t.db.query(`SELECT status FROM flash_deals WHERE id = $1`, [dealId]);
      expect(row.status).toBe('open');
      await sleep(400);
      await t.app.get(DealsService).closeIfDue(dealId); // what the pg-boss job runs at endsAt
      [row] = await t.db.query(`SELECT status FROM flash_deals WHERE id = $1`, [dealId]);
      expect(row.status).toBe('closed');
    });

    it('an expired unpaid deal reservation gives its units back to the deal and every viewer sees it', async () => {
      const { show, product, host } = await liveShowFixture(t, { stock: 100 });
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      const dealId = ((await launch(h, product.id, { quantity: 10, perBuyerCap: 3 })) as unknown as { deal: DealState })
        .deal.id;
      const [buyer] = await fastBuyers(t, 1);
      await giveAddresses(t, [buyer.id]);
      const b = await connected(liveClient(port, { token: buyer.token }));
      open.push(b);
      expect(await ask(b, 'deal:buy', { dealId, quantity: 3 })).toMatchObject({ ok: true });
      const viewer = track(await joined(port, show.id)).s;
      expect((await joined(port, show.id)).state.deal?.remaining).toBe(7);
      const back = nextEvent(viewer, 'deal:updated', (d) => d.remaining === 10);
      const stockBack = nextEvent(viewer, 'stock:changed', (p) => p.productId === product.id && p.stock === 100);
      await t.app.get(LifecycleService).expireDue(new Date(Date.now() + 3600_000));
      expect((await back).remaining).toBe(10);
      expect((await stockBack).stock).toBe(100);
      const [d] = await t.db.query(`SELECT remaining FROM flash_deals WHERE id = $1`, [dealId]);
      expect(d.remaining).toBe(10);
    });

    it('a paid deal order shows the purchase ticker with the province and quantity only, and counts in the summary', async () => {
      const { show, product, host } = await liveShowFixture(t);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      const dealId = (
        (await launch(h, product.id, { quantity: 10, perBuyerCap: 2, priceFen: 4500 })) as unknown as {
          deal: DealState;
        }
      ).deal.id;
      const [buyer] = await fastBuyers(t, 1);
      await giveAddresses(t, [buyer.id], '陕西省');
      const b = await connected(liveClient(port, { token: buyer.token }));
      open.push(b);
      const viewer = track(await joined(port, show.id)).s;
      const res = (await ask(b, 'deal:buy', { dealId, quantity: 2 })) as unknown as {
        reservation: { paymentId: string };
      };
      const ticker = nextEvent(viewer, 'purchase:ticker');
      await t.http.post(`/api/payments/demo/${res.reservation.paymentId}/confirm`).set(bearer(buyer.token)).expect(200);
      const tk = await ticker;
      expect(tk).toMatchObject({ province: '陕西', quantity: 2, unit: 'box', text: '陕西的买家刚买了 2 盒' });
      expect(JSON.stringify(tk)).not.toMatch(/陈静|138|文三路/);

      const ended = (await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(200))
        .body as ConsoleShow;
      expect(ended.status).toBe('ended');
      // The sales figures are the cooperative's: its host reads them, a viewer or another buyer only the audience.
      const detail = (await t.http.get(`/api/shows/${show.id}`).set(bearer(host.token)).expect(200)).body as ShowDetail;
      for (const outsider of [{}, bearer(buyer.token)]) {
        const seen = (await t.http.get(`/api/shows/${show.id}`).set(outsider).expect(200)).body as ShowDetail;
        expect(seen.summary).toEqual({
          peakViewers: expect.any(Number),
          uniqueViewers: expect.any(Number),
          chatMessages: expect.any(Number),
          likes: expect.any(Number),
          durationSeconds: expect.any(Number),
        });
      }
      expect(detail.summary).toMatchObject({
        paidOrders: 1,
        gmvFen: 9000,
        buyers: 1,
        perProduct: [{ productId: product.id, units: 2, revenueFen: 9000 }],
        deals: [{ id: dealId, sold: 2, quantity: 10 }],
      });
      expect(detail.summary?.uniqueViewers).toBeGreaterThanOrEqual(2);
      expect((detail.summary as ShowSummary | null)?.conversion).toBeGreaterThan(0);
      expect(detail.pins[0]).toMatchObject({ productId: product.id, unpinnedAt: expect.any(String) });
    });
  });

  describe('state', () => {
    it('a reconnecting viewer gets the current state back: pin, deal, stock, recent chat, viewers', async () => {
      const buyer = await registerUser(t);
      const { show, product, other, host } = await liveShowFixture(t);
      const h = track(await joined(port, show.id, { token: host.token })).s;
      await ask(h, 'pin:set', { productId: product.id });
      // connect with showId in the handshake: the client library re-sends it on every reconnection
      const v = liveClient(port, { token: buyer.token, showId: show.id, patches: true });
      open.push(v);
      const first = await nextEvent(v, 'show:state');
      expect(first.pin?.productId).toBe(product.id);
      v.disconnect();
      await ask(h, 'pin:set', { productId: other.id });
      const launched = await launch(h, other.id, { priceFen: 1900, quantity: 30 });
      expect(launched.ok).toBe(true);
      await ask(h, 'chat:send', { text: '掉线的朋友回来了吗' });
      const again = nextEvent(v, 'show:state');
      v.connect();
      const state = await again;
      expect(state.pin).toMatchObject({ productId: other.id, stock: 300 });
      expect(state.deal).toMatchObject({ productId: other.id, remaining: 30, status: 'open' });
      expect(state.chat.at(-1)?.text).toBe('掉线的朋友回来了吗');
      expect(state.viewers).toBeGreaterThanOrEqual(2);
    });

    it('aggregates viewer counts and likes and broadcasts them at a bounded rate', async () => {
      const { show } = await liveShowFixture(t);
      const watcher = track(await joined(port, show.id)).s;
      const counts: number[] = [];
      watcher.on('viewers:count', (p) => counts.push(p.count));
      const likes: number[] = [];
      watcher.on('likes:count', (p) => likes.push(p.count));
      // likes come from signed-in viewers only (live-counts.int.spec.ts has the anonymous side)
      const likers = await Promise.all([1, 2, 3, 4].map(() => registerUser(t)));
      const others = await Promise.all(likers.map((u) => joined(port, show.id, { token: u.token })));
      others.forEach((o) => open.push(o.s));
      for (let i = 0; i < 20; i++) await ask(others[i % 4].s, 'like:send', { count: 1 });
      await sleep(1300);
      expect(counts.at(-1)).toBe(5);
      expect(likes.at(-1)).toBe(20);
      expect(counts.length + likes.length).toBeLessThanOrEqual(6); // ≤ 2/s each, not one per like or join
      const [row] = await t.db.query(`SELECT likes, peak_viewers FROM shows WHERE id = $1`, [show.id]);
      expect(row).toEqual({ likes: 20, peak_viewers: 5 });
    });
  });

  describe('REST', () => {
    it('lists live, scheduled and ended shows publicly; the console is for the show’s host and coop admins', async () => {
      const { show, host, coop, product } = await liveShowFixture(t, { live: false });
      const stranger = await userWithRoles(t, [{ role: 'host', cooperativeId: (await insertCooperative(t)).id }]);
      const buyer = await registerUser(t);
      const sameCoopHost = await userWithRoles(t, [{ role: 'host', cooperativeId: coop.id }]);

      const scheduled = await t.http.get('/api/shows?status=scheduled').expect(200);
      expect(scheduled.body.items.map((s: { id: string }) => s.id)).toContain(show.id);
      await t.http.get('/api/shows?status=bogus').expect(400);
      await t.http.get(`/api/console/shows/${show.id}`).set(bearer(buyer.token)).expect(403);
      await t.http.get(`/api/console/shows/${show.id}`).set(bearer(stranger.token)).expect(404);
      await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(stranger.token)).expect(404);
      await t.http.get(`/api/console/shows/${show.id}`).set(bearer(sameCoopHost.token)).expect(200);
      await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(sameCoopHost.token)).expect(403);
      await t.http
        .post(`/api/console/cooperatives/${coop.id}/shows`)
        .set(bearer(stranger.token))
        .send({ title: 'x', scheduledAt: new Date().toISOString(), productIds: [product.id] })
        .expect(404);
      await t.http
        .post(`/api/console/cooperatives/${stranger.user.id}/shows`)
        .set(bearer(host.token))
        .send({ title: 'x', scheduledAt: new Date().toISOString(), productIds: [product.id] })
        .expect(404);
      // products of another cooperative cannot be presented
      const foreignProduct = (
        await t.db.query(`SELECT id FROM products WHERE cooperative_id <> $1 LIMIT 1`, [coop.id])
      )[0];
      if (foreignProduct) {
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/shows`)
          .set(bearer(host.token))
          .send({ title: '别人的货', scheduledAt: new Date().toISOString(), productIds: [foreignProduct.id] })
          .expect(400);
      }
      await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(409);
      await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(host.token)).expect(200);
      const live = await t.http.get('/api/shows?status=live').expect(200);
      expect(live.body.items.map((s: { id: string }) => s.id)).toContain(show.id);
      await t.http.post(`/api/console/shows/${show.id}/end`).set(bearer(host.token)).expect(200);
      const ended = await t.http.get('/api/shows?status=ended').expect(200);
      expect(ended.body.items.find((s: { id: string }) => s.id === show.id)).toMatchObject({ status: 'ended' });
      const detail = (await t.http.get(`/api/shows/${show.id}`).set(bearer(host.token)).expect(200)).body as ShowDetail;
      expect(detail.summary).toMatchObject({ orders: 0, gmvFen: 0, perProduct: [] });
      await t.http.get('/api/shows/not-a-uuid').expect(404);
    });

    it('followers hear of new shows, subscribers of going live; the notification centre marks them read', async () => {
      const fan = await registerUser(t);
      const coop = await insertCooperative(t);
      const host = await userWithRoles(t, [{ role: 'coop_admin', cooperativeId: coop.id }]);
      const { insertProduct } = await import('../../test/test-app');
      const product = await insertProduct(t, coop.id);
      await t.http.put(`/api/follows/${coop.id}`).set(bearer(fan.token)).expect(204);
      await t.http.put(`/api/follows/${coop.id}`).set(bearer(fan.token)).expect(204);
      expect((await t.http.get('/api/follows').set(bearer(fan.token)).expect(200)).body.cooperativeIds).toEqual([
        coop.id,
      ]);
      const fanSocket = await connected(liveClient(port, { token: fan.token }));
      open.push(fanSocket);
      const pushed = nextEvent(fanSocket, 'notification');
      const show = (
        await t.http
          .post(`/api/console/cooperatives/${coop.id}/shows`)
          .set(bearer(host.token))
          .send({
            title: '秋木耳上新',
            scheduledAt: new Date(Date.now() + 86400_000).toISOString(),
            productIds: [product.id],
          })
          .expect(201)
      ).body as ConsoleShow;
      expect(await pushed).toMatchObject({ kind: 'show_scheduled', title: '秋木耳上新', link: `/live/${show.id}` });
      await t.http.put(`/api/shows/${show.id}/subscription`).set(bearer(fan.token)).expect(204);
      const list = await t.http.get('/api/shows?status=scheduled').set(bearer(fan.token)).expect(200);
      expect(list.body.items.find((s: { id: string }) => s.id === show.id)).toMatchObject({
        subscribed: true,
        following: true,
        subscriberCount: 1,
      });
      await t.http.post(`/api/console/shows/${show.id}/start`).set(bearer(host.token)).expect(200);
      const page = (await t.http.get('/api/notifications').set(bearer(fan.token)).expect(200)).body;
      expect(page.items.map((n: { kind: string }) => n.kind)).toEqual(['show_live', 'show_scheduled']);
      expect(page.unread).toBe(2);
      await t.http.post(`/api/notifications/${page.items[0].id}/read`).set(bearer(fan.token)).expect(204);
      await t.http.post(`/api/notifications/not-an-id/read`).set(bearer(fan.token)).expect(404);
      expect((await t.http.get('/api/notifications').set(bearer(fan.token)).expect(200)).body.unread).toBe(1);
      await t.http.post('/api/notifications/read-all').set(bearer(fan.token)).expect(204);
      expect((await t.http.get('/api/notifications').set(bearer(fan.token)).expect(200)).body.unread).toBe(0);
      await t.http.get('/api/notifications').expect(401);
    });
  });
});
