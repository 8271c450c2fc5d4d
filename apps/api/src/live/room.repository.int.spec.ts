import { randomUUID } from 'node:crypto';
import { LIVE_LIMITS } from '@xiangbo/contracts';
import {
  createTestApp,
  fastBuyers,
  insertCooperative,
  insertProduct,
  TestApp,
  userWithRoles,
} from '../../test/test-app';
import { DealsRepository } from './deals.repository';
import { RoomRepository } from './room.repository';
import { ShowsRepository } from './shows.repository';

/** The room's and the deals' SQL against PostgreSQL (medium tier): chat windows, moderation, pins, closing deals. */
describe('RoomRepository and the deals’ closing statements (real PostgreSQL)', () => {
  let t: TestApp;
  let repo: RoomRepository;
  let shows: ShowsRepository;
  let coopId: string;
  let hostId: string;
  beforeAll(async () => {
    t = await createTestApp();
    repo = t.app.get(RoomRepository);
    shows = t.app.get(ShowsRepository);
    coopId = (await insertCooperative(t)).id;
    hostId = (await userWithRoles(t, [{ role: 'host', cooperativeId: coopId }])).user.id;
  });
  afterAll(() => t.close());

  const m = () => t.db.manager;
  async function liveShow(): Promise<string> {
    const id = randomUUID();
    await shows.insert(m(), {
      id,
      cooperativeId: coopId,
      hostId,
      title: '直播',
      description: '',
      scheduledAt: new Date(),
    });
    await shows.markLive(m(), id);
    return id;
  }
  const say = (showId: string, userId: string, text: string, secondsAgo = 0) =>
    t.db.query(
      `INSERT INTO chat_messages (show_id, user_id, display_name, text, created_at)
       VALUES ($1, $2, 'x', $3, now() - make_interval(secs => $4)) RETURNING id`,
      [showId, userId, text, secondsAgo],
    );

  it('chatContext: the show’s status and slow mode, the database clock, the sender’s messages within the window only', async () => {
    const show = await liveShow();
    const other = await liveShow();
    const [me, you] = await fastBuyers(t, 2);
    await shows.setSlowMode(m(), show, 15);
    await say(show, me.id, 'old', 120);
    await say(show, me.id, 'recent', 5);
    await say(show, me.id, 'now', 0);
    await say(show, you.id, 'not mine', 1);
    await say(other, me.id, 'other show', 1);

    const before = Date.now();
    const ctx = await repo.chatContext(m(), show, me.id, 60);
    expect(ctx).toMatchObject({ status: 'live', slow_mode_seconds: 15 });
    expect(Math.abs((ctx?.now ?? 0) - before)).toBeLessThan(5_000);
    expect(ctx?.recent).toHaveLength(2);
    const ages = (ctx?.recent ?? []).map((r) => (ctx?.now ?? 0) - Number(r)).sort((a, b) => a - b);
    expect(ages[0]).toBeLessThan(2_000);
    expect(ages[1]).toBeGreaterThan(4_000);
    expect((await repo.chatContext(m(), show, me.id, 300))?.recent).toHaveLength(3);
    expect(await repo.chatContext(m(), randomUUID(), me.id, 60)).toBeNull();
  });

  it('insertChat returns the stored row; deleteChat only within its show; hideChatOf marks the user’s undeleted messages', async () => {
    const show = await liveShow();
    const other = await liveShow();
    const [viewer, bystander] = await fastBuyers(t, 2);
    const msg = await repo.insertChat(m(), {
      showId: show,
      userId: viewer.id,
      displayName: '小王',
      text: '你好',
      fromHost: false,
    });
    expect(msg).toMatchObject({ user_id: viewer.id, display_name: '小王', text: '你好', from_host: false });
    expect(msg.created_at).toBeInstanceOf(Date);

    expect(await repo.deleteChat(m(), other, msg.id, hostId)).toBe(false);
    expect(await repo.deleteChat(m(), show, msg.id, hostId)).toBe(true);
    const [second] = await say(show, viewer.id, 'second');
    const [third] = await say(show, viewer.id, 'third');
    await say(show, bystander.id, 'stays');
    expect((await repo.hideChatOf(m(), show, viewer.id, hostId)).sort()).toEqual([second.id, third.id].sort());
    expect(await repo.hideChatOf(m(), show, viewer.id, hostId)).toEqual([]);
    const visible = await t.db.query(`SELECT text FROM chat_messages WHERE show_id = $1 AND NOT deleted`, [show]);
    expect(visible).toEqual([{ text: 'stays' }]);
  });

  it('mute replaces a running mute; an expired mute is no mute; ban is once; lift removes only its kind', async () => {
    const show = await liveShow();
    const [viewer] = await fastBuyers(t, 1);
    const until = await repo.mute(m(), show, viewer.id, 10, hostId);
    expect(until.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    const longer = await repo.mute(m(), show, viewer.id, 30, hostId);
    expect(longer.getTime() - until.getTime()).toBeGreaterThan(19 * 60_000);
    await repo.ban(m(), show, viewer.id, hostId);
    await repo.ban(m(), show, viewer.id, hostId);
    expect((await repo.moderation(m(), show, viewer.id)).map((r) => r.kind).sort()).toEqual(['ban', 'mute']);
    const ctx = await repo.viewerContext(m(), show, viewer.id);
    expect(ctx.banned).toBe(true);
    expect(new Date(ctx.muted_until as Date).getTime()).toBe(longer.getTime());
    expect(ctx.roles).toEqual([{ role: 'buyer', cooperativeId: null }]);

    await t.db.query(
      `UPDATE show_moderation SET until = now() - interval '1 second' WHERE show_id = $1 AND user_id = $2 AND kind = 'mute'`,
      [show, viewer.id],
    );
    expect(await repo.moderation(m(), show, viewer.id)).toEqual([{ kind: 'ban', until: null }]);
    expect((await repo.viewerContext(m(), show, viewer.id)).muted_until).toBeNull();

    await repo.lift(m(), show, viewer.id, 'ban');
    expect(await repo.moderation(m(), show, viewer.id)).toEqual([]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM show_moderation WHERE show_id = $1`, [show]);
    expect(n).toBe(1); // the expired mute's row is still there
    await repo.lift(m(), show, viewer.id, 'mute');
    expect((await t.db.query(`SELECT 1 FROM show_moderation WHERE show_id = $1`, [show])).length).toBe(0);
  });

  it('viewerContext for staff: every role the user holds; liveUser only for accounts holding a role', async () => {
    const show = await liveShow();
    const ctx = await repo.viewerContext(m(), show, hostId);
    expect(ctx).toEqual({ banned: false, muted_until: null, roles: expect.any(Array) });
    expect(ctx.roles).toHaveLength(2); // registered as a buyer, then made a host
    expect(ctx.roles).toEqual(
      expect.arrayContaining([
        { role: 'buyer', cooperativeId: null },
        { role: 'host', cooperativeId: coopId },
      ]),
    );
    expect(await repo.liveUser(m(), hostId)).toEqual({ display_name: expect.any(String) });
    const [buyer] = await fastBuyers(t, 1);
    await t.db.query(`DELETE FROM role_assignments WHERE user_id = $1`, [buyer.id]);
    expect(await repo.liveUser(m(), buyer.id)).toBeNull();
    expect(await repo.liveUser(m(), randomUUID())).toBeNull();
  });

  it('pins: only a product of the show; one pin open at a time, unpin closes it', async () => {
    const show = await liveShow();
    const [a, b] = [await insertProduct(t, coopId), await insertProduct(t, coopId)];
    await shows.replaceProducts(m(), show, [a.id]);
    expect(await repo.isShowProduct(m(), show, a.id)).toBe(true);
    expect(await repo.isShowProduct(m(), show, b.id)).toBe(false);
    await repo.insertPin(m(), show, a.id, hostId);
    await expect(repo.insertPin(m(), show, a.id, hostId)).rejects.toThrow(/pins_one_open/);
    await shows.unpin(m(), show);
    await repo.insertPin(m(), show, a.id, hostId);
    await shows.unpin(m(), show);
    const pins = await shows.pins(m(), show);
    expect(pins).toHaveLength(2);
    expect(pins.every((p) => p.unpinned_at !== null)).toBe(true);
  });

  it('snapshot: the pin, the open deal not past its end, the last messages oldest first without deleted ones', async () => {
    const deals = t.app.get(DealsRepository);
    const show = await liveShow();
    const [viewer] = await fastBuyers(t, 1);
    const a = await insertProduct(t, coopId, { price_fen: 5900, stock: 7 });
    await shows.replaceProducts(m(), show, [a.id]);
    expect(await repo.snapshot(m(), show)).toMatchObject({ id: show, status: 'live', pin: null, deal: null, chat: [] });
    expect(await repo.snapshot(m(), randomUUID())).toBeNull();

    await repo.insertPin(m(), show, a.id, hostId);
    const launch = () =>
      deals.insert(m(), {
        showId: show,
        productId: a.id,
        priceFen: 2900,
        listPriceFen: 5900,
        quantity: 5,
        perBuyerCap: 2,
        durationSeconds: 60,
        createdBy: hostId,
      });
    const past = await launch();
    await t.db.query(`UPDATE flash_deals SET ends_at = now() - interval '1 second' WHERE id = $1`, [past]);
    for (let i = 0; i < LIVE_LIMITS.recentChat + 2; i++) await say(show, viewer.id, `m${i}`, 1000 - i);
    const [hidden] = await say(show, viewer.id, 'hidden', 0);
    await repo.deleteChat(m(), show, hidden.id, hostId);

    const snap = await repo.snapshot(m(), show);
    expect(snap?.pin).toMatchObject({ product_id: a.id, price_fen: 5900, stock: 7, thumb_key: null });
    expect(snap?.deal).toBeNull(); // open in the table but past its end time
    expect(snap?.chat).toHaveLength(LIVE_LIMITS.recentChat);
    expect(snap?.chat[0].text).toBe('m2');
    expect(snap?.chat.at(-1)?.text).toBe(`m${LIVE_LIMITS.recentChat + 1}`);
    expect((await repo.recentChat(m(), show, 3)).map((c) => c.text)).toEqual([
      `m${LIVE_LIMITS.recentChat + 1}`,
      `m${LIVE_LIMITS.recentChat}`,
      `m${LIVE_LIMITS.recentChat - 1}`,
    ]);
    expect(await repo.currentPin(m(), show)).toMatchObject({ product_id: a.id, price_fen: '5900' });

    const open = await launch();
    expect((await repo.snapshot(m(), show))?.deal).toMatchObject({ id: open, product_id: a.id, remaining: 5 });
    expect(await deals.openOfShow(m(), show)).toMatchObject({ id: open, price_fen: '2900' });
    expect((await deals.byIds(m(), [open, past])).map((d) => d.id).sort()).toEqual([open, past].sort());
  });

  it('deals: the launch’s product read, closing by host, when due, and all due at once', async () => {
    const deals = t.app.get(DealsRepository);
    const show = await liveShow();
    const [a, b] = [await insertProduct(t, coopId, { price_fen: 5900, stock: 7 }), await insertProduct(t, coopId)];
    await shows.replaceProducts(m(), show, [a.id]);
    expect(await deals.productForLaunch(m(), show, a.id)).toEqual({ price_fen: '5900', stock: 7, pinned: false });
    await repo.insertPin(m(), show, a.id, hostId);
    expect(await deals.productForLaunch(m(), show, a.id)).toMatchObject({ pinned: true });
    expect(await deals.productForLaunch(m(), show, b.id)).toBeNull();

    const launch = (durationSeconds: number) =>
      deals.insert(m(), {
        showId: show,
        productId: a.id,
        priceFen: 2900,
        listPriceFen: 5900,
        quantity: 5,
        perBuyerCap: 2,
        durationSeconds,
        createdBy: hostId,
      });
    const first = await launch(60);
    expect(await deals.terms(m(), first)).toMatchObject({ remaining: 5, status: 'open', perBuyerCap: 2 });
    expect(await deals.isOfShow(m(), first, show)).toBe(true);
    expect(await deals.isOfShow(m(), first, await liveShow())).toBe(false);
    expect(await deals.closeIfDue(m(), first)).toBe(false); // not due yet
    expect(await deals.closeOpenOfShow(m(), show)).toEqual([first]);
    expect(await deals.closeOpenOfShow(m(), show)).toEqual([]);

    const second = await launch(60);
    await deals.close(m(), second);
    expect((await deals.terms(m(), second))?.status).toBe('closed');

    const due = await launch(60);
    await t.db.query(`UPDATE flash_deals SET ends_at = now() - interval '1 second' WHERE id = $1`, [due]);
    expect(await deals.closeIfDue(m(), due)).toBe(true);
    expect(await deals.closeIfDue(m(), due)).toBe(false); // already closed

    const [x, y] = [await launch(60), await launch(60)];
    await t.db.query(`UPDATE flash_deals SET ends_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [
      [x, y],
    ]);
    const closed = await deals.closeDue(m());
    expect(closed).toEqual(expect.arrayContaining([x, y]));
    expect(closed).not.toContain(first);
  });
});
